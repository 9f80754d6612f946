// Export and import: JSON round-trips every branch and field; Markdown reads well; a malformed
// file is refused with a clear sentence and writes nothing.
#include "StorageTestSupport.h"
#include "storage/ChatExport.h"
#include "storage/ChatStore.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace lucent;

namespace {

NewMessage turn(Role role, std::string content, std::string reasoning = {}) {
    NewMessage message;
    message.role = role;
    message.content = std::move(content);
    message.reasoning = std::move(reasoning);
    return message;
}

QString withoutExportTime(const std::string& json) {
    return QString::fromStdString(json).remove(QRegularExpression("\"exported_at\": \\d+,"));
}

std::int64_t countRows(ChatStore& store, const char* table) {
    return must(store.database().queryInt(std::string("SELECT count(*) FROM ") + table));
}

} // namespace

class TestStorageExport : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::optional<ChatStore> source_;
    ConversationId branched_ = 0;

    ChatStore freshStore(const QString& name) {
        const QString path = dir_.path() + "/" + name;
        QFile::remove(path);
        return must(ChatStore::open(path.toStdString()));
    }

private slots:
    void initTestCase() {
        source_.emplace(freshStore("source.db"));
        auto& store = *source_;
        branched_ = must(store.createConversation({"Trip \"plans\"\nfor Hà Nội", "r1-distill", "Be brief.",
                                                   R"({"temperature":0.6,"top_k":40})"}));
        const auto question = must(store.appendMessage(branched_, std::nullopt, turn(Role::User, "Where to eat? 東京 or Hà Nội")));
        NewMessage first = turn(Role::Assistant, "Phở on **Hàng** street.", "They asked about food.\n\nThink twice.");
        first.model = "r1-distill";
        first.settingsJson = R"({"temperature":0.6})";
        first.stats = {120, 48, 21.75, 2300};
        first.finishReason = FinishReason::Stop;
        must(store.appendMessage(branched_, question, first));
        const auto retry = must(store.beginStreamingReply(branched_, question, "r1-distill", "{}"));
        must(store.updateStreamingReply(retry, "Bún chả, unfinished", "still thinking"));
        const auto edit = must(store.appendMessage(branched_, std::nullopt, turn(Role::User, "Edited question")));
        must(store.setActiveLeaf(branched_, question));
        must(store.setPinned(branched_, true));
        (void)edit;
        const auto other = must(store.createConversation({"Second", "", "", "{}"}));
        must(store.appendMessage(other, std::nullopt, turn(Role::System, "system text")));
    }

    void jsonRoundTripsLosslessly() {
        const std::string exported = must(exportJson(*source_, std::nullopt));
        auto target = freshStore("target.db");
        const auto created = must(importJson(target, exported, "chats.json"));
        QCOMPARE(created.size(), std::size_t(2));
        const std::string again = must(exportJson(target, std::nullopt));
        QCOMPARE(withoutExportTime(again), withoutExportTime(exported));
        QVERIFY(withoutExportTime(exported) != QString::fromStdString(exported)); // the regex did match

        // Field by field, the imported copy is the original.
        const auto original = must(source_->tree(branched_));
        const auto copy = must(target.tree(created[0]));
        QCOMPARE(copy.conversation.title, original.conversation.title);
        QCOMPARE(copy.conversation.createdAt, original.conversation.createdAt);
        QCOMPARE(copy.conversation.pinned, true);
        QCOMPARE(copy.conversation.settingsJson, std::string(R"({"temperature":0.6,"top_k":40})"));
        QCOMPARE(copy.messages.size(), original.messages.size());
        for (std::size_t i = 0; i < copy.messages.size(); ++i) {
            const Message& a = original.messages[i];
            const Message& b = copy.messages[i];
            QCOMPARE(b.content, a.content);
            QCOMPARE(b.reasoning, a.reasoning);
            QCOMPARE(b.role, a.role);
            QCOMPARE(b.parent.has_value(), a.parent.has_value());
            QCOMPARE(b.stats.tokensPerSecond, a.stats.tokensPerSecond);
            QCOMPARE(b.stats.reasoningMs, a.stats.reasoningMs);
            QCOMPARE(b.finishReason, a.finishReason);
            QCOMPARE(b.createdAt, a.createdAt);
            QCOMPARE(b.finishedAt, a.finishedAt);
        }
        // The branch structure and the branch on screen came along.
        const auto path = must(target.activePath(created[0]));
        QCOMPARE(path.size(), std::size_t(2));
        QCOMPARE(path[1].content, std::string("Bún chả, unfinished"));
        QCOMPARE(must(target.siblings(path[1].id)).size(), std::size_t(2));
        QCOMPARE(must(target.siblings(path[0].id)).size(), std::size_t(2));
        QCOMPARE(must(target.search("pho")).size(), std::size_t(1));
    }

    void exportsOneConversation() {
        const std::string exported = must(exportJson(*source_, branched_));
        auto target = freshStore("one.db");
        QCOMPARE(must(importJson(target, exported, "one.json")).size(), std::size_t(1));
        QVERIFY(!exportJson(*source_, 987654));
    }

    void markdownIsReadable() {
        const QString markdown = QString::fromStdString(must(exportMarkdown(*source_, branched_)));
        QVERIFY2(markdown.startsWith("# Trip \"plans\" for Hà Nội\n"), qPrintable(markdown.left(80)));
        QVERIFY(markdown.contains("**System prompt:** Be brief."));
        QVERIFY(markdown.contains("### User\n\nWhere to eat? 東京 or Hà Nội\n"));
        QVERIFY(markdown.contains("### Assistant · r1-distill · unfinished"));
        QVERIFY(markdown.contains("<details>\n<summary>Reasoning</summary>\n\nstill thinking\n\n</details>"));
        QVERIFY(markdown.contains("Bún chả, unfinished"));
        QVERIFY(!markdown.contains("Phở")); // another branch: only in the JSON export
        QVERIFY(markdown.contains("2 more on other branches"));
        must(source_->setActiveLeaf(branched_, 2));
        const QString other = QString::fromStdString(must(exportMarkdown(*source_, branched_)));
        QVERIFY(other.contains("### Assistant · r1-distill · 21.8 tok/s"));
        QVERIFY(other.contains("<summary>Reasoning (2.3 s)</summary>\n\nThey asked about food.\n\nThink twice.\n\n</details>\n\nPhở on **Hàng** street."));
        must(source_->setActiveLeaf(branched_, 1));
        const QString all = QString::fromStdString(must(exportMarkdown(*source_, std::nullopt)));
        QVERIFY(all.contains("\n---\n\n# Second\n"));
        QVERIFY(all.contains("### System\n\nsystem text"));
    }

    void refusesMalformedFiles_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("error");
        const QString good = R"({"title":"ok","messages":[{"id":1,"parent":null,"role":"user","content":"hi"}]})";
        auto file = [](const QString& conversations) {
            return QString(R"({"format":"lucent-chats","version":1,"conversations":[%1]})").arg(conversations);
        };
        QTest::newRow("not JSON") << "hello" << "chats.json is not valid JSON";
        QTest::newRow("truncated") << file(good).chopped(5) << "chats.json is not valid JSON (at byte";
        QTest::newRow("other format") << R"({"format":"gpt4all","version":1,"conversations":[]})" << "is not a Lucent chat export";
        QTest::newRow("array at top") << "[1,2]" << "is not a Lucent chat export";
        QTest::newRow("newer version") << R"({"format":"lucent-chats","version":7,"conversations":[]})" << "newer Lucent (format version 7)";
        QTest::newRow("no conversations") << R"({"format":"lucent-chats","version":1})" << "\"conversations\" is missing";
        QTest::newRow("no title") << file(R"({"messages":[]})") << "conversation 1: \"title\" is missing";
        QTest::newRow("content not text") << file(R"({"title":"t","messages":[{"id":1,"role":"user","content":5}]})") << "conversation 1, message 1: \"content\" must be text";
        QTest::newRow("unknown role") << file(R"({"title":"t","messages":[{"id":1,"role":"robot","content":""}]})") << "role \"robot\" is not one of";
        QTest::newRow("unknown finish reason") << file(R"({"title":"t","messages":[{"id":1,"role":"assistant","content":"","finish_reason":"tired"}]})") << "finish_reason \"tired\"";
        QTest::newRow("parent after child") << file(R"({"title":"t","messages":[{"id":1,"parent":2,"role":"user","content":""},{"id":2,"role":"user","content":""}]})") << "its parent 2 is not an earlier message";
        QTest::newRow("duplicate id") << file(R"({"title":"t","messages":[{"id":1,"role":"user","content":""},{"id":1,"role":"user","content":""}]})") << "message 2: id 1 is used twice";
        QTest::newRow("unknown active message") << file(R"({"title":"t","active_message":9,"messages":[]})") << "active_message 9 is not one of its messages";
        QTest::newRow("settings not an object") << file(R"({"title":"t","settings":"hot","messages":[]})") << "\"settings\" must be an object";
        QTest::newRow("pinned not a bool") << file(R"({"title":"t","pinned":"yes","messages":[]})") << "\"pinned\" must be true or false";
        QTest::newRow("good then bad conversation") << file(good + "," + R"({"title":"t","messages":[{"id":"x","role":"user","content":""}]})") << "conversation 2, message 1: \"id\" must be a whole number";
    }

    void refusesMalformedFiles() {
        QFETCH(QString, json);
        QFETCH(QString, error);
        auto& store = *source_;
        const auto conversations = countRows(store, "conversations");
        const auto messages = countRows(store, "messages");
        auto imported = importJson(store, json.toStdString(), "chats.json");
        QVERIFY(!imported);
        const QString message = QString::fromStdString(imported.error().message);
        QVERIFY2(message.contains(error), qPrintable(message));
        QVERIFY2(message.startsWith("chats.json"), qPrintable(message));
        QCOMPARE(countRows(store, "conversations"), conversations);
        QCOMPARE(countRows(store, "messages"), messages);
    }

    void refusesInvalidUtf8() {
        const auto conversations = countRows(*source_, "conversations");
        std::string bytes = "{\"format\":\"lucent-chats\",\"version\":1,\"conversations\":[{\"title\":\"";
        bytes += "\xff\xfe"; // Latin-1 bytes, not UTF-8
        bytes += "\",\"messages\":[]}]}";
        auto imported = importJson(*source_, bytes, "latin1.json");
        QVERIFY(!imported);
        QVERIFY2(imported.error().message.find("latin1.json is not valid JSON") == 0, imported.error().message.c_str());
        QCOMPARE(countRows(*source_, "conversations"), conversations);
    }

    void acceptsAMinimalHandWrittenFile() {
        auto store = freshStore("minimal.db");
        const auto created = must(importJson(store, R"({"format":"lucent-chats","version":1,"conversations":[
            {"title":"t","messages":[{"id":10,"parent":null,"role":"user","content":"hi"},
                                     {"id":20,"parent":10,"role":"assistant","content":"hello","finish_reason":"stop"}]}]})",
                                             "min.json"));
        QCOMPARE(created.size(), std::size_t(1));
        QCOMPARE(must(store.messages(created[0])).size(), std::size_t(2));
        QCOMPARE(must(store.messages(created[0]))[1].parent, must(store.messages(created[0]))[0].id);
    }
};

QTEST_GUILESS_MAIN(TestStorageExport)
#include "tst_storage_export.moc"
