// ChatStore: conversations, the message tree (branches instead of erasing), streaming replies.
#include "StorageTestSupport.h"
#include "storage/ChatStore.h"
#include "storage/StreamingWriter.h"

#include <QTemporaryDir>
#include <QTest>

using namespace lucent;

namespace {

NewMessage userTurn(std::string text) {
    NewMessage message;
    message.role = Role::User;
    message.content = std::move(text);
    return message;
}

std::vector<std::string> contents(const std::vector<Message>& messages) {
    std::vector<std::string> result;
    for (const auto& message : messages) result.push_back(message.content);
    return result;
}

} // namespace

class TestChatStore : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string dbPath() const { return (dir_.path() + "/lucent.db").toStdString(); }

private slots:
    void init() { QFile::remove(dir_.path() + "/lucent.db"); }

    void listsRecentPinnedFirst() {
        auto store = must(ChatStore::open(dbPath()));
        std::vector<ConversationId> ids;
        for (int i = 0; i < 5; ++i)
            ids.push_back(must(store.createConversation({"chat " + std::to_string(i), "m", "", "{}"})));
        // Touch chat 1 so it becomes the most recent; pin chat 3.
        QTest::qWait(2);
        must(store.appendMessage(ids[1], std::nullopt, userTurn("hello")));
        must(store.setPinned(ids[3], true));
        auto recent = must(store.listRecent(10));
        QCOMPARE(recent.size(), std::size_t(5));
        QCOMPARE(recent[0].id, ids[3]);
        QVERIFY(recent[0].pinned);
        QCOMPARE(recent[1].id, ids[1]);
        QCOMPARE(recent[2].id, ids[4]);
        auto page = must(store.listRecent(2, 3));
        QCOMPARE(page.size(), std::size_t(2));
        QCOMPARE(page[0].id, ids[2]);
        QCOMPARE(page[1].id, ids[0]);
    }

    void renamesAndKeepsSettings() {
        auto store = must(ChatStore::open(dbPath()));
        const auto id = must(store.createConversation({"draft", "qwen", "be brief", R"({"temperature":0.6})"}));
        must(store.rename(id, "Trip to Hà Nội"));
        must(store.setGenerationDefaults(id, "r1-distill", "think first", R"({"top_p":0.9})"));
        const auto conversation = must(store.conversation(id));
        QCOMPARE(conversation.title, std::string("Trip to Hà Nội"));
        QCOMPARE(conversation.model, std::string("r1-distill"));
        QCOMPARE(conversation.systemPrompt, std::string("think first"));
        QCOMPARE(conversation.settingsJson, std::string(R"({"top_p":0.9})"));
        QVERIFY(!store.rename(9999, "x"));
        QVERIFY2(!store.setGenerationDefaults(id, "m", "", "{not json"), "invalid settings JSON must be refused");
    }

    void deletesRestoresAndPurges() {
        auto store = must(ChatStore::open(dbPath()));
        const auto keep = must(store.createConversation({"keep", "", "", "{}"}));
        const auto gone = must(store.createConversation({"gone", "", "", "{}"}));
        must(store.appendMessage(gone, std::nullopt, userTurn("secret plans")));
        must(store.deleteConversation(gone));
        QCOMPARE(must(store.listRecent(10)).size(), std::size_t(1));
        QCOMPARE(must(store.search("secret")).size(), std::size_t(0));
        must(store.restoreConversation(gone));
        QCOMPARE(must(store.listRecent(10)).size(), std::size_t(2));
        QCOMPARE(must(store.search("secret")).size(), std::size_t(1));
        must(store.deleteConversation(gone));
        QCOMPARE(must(store.purgeDeletedConversations()), 1);
        QVERIFY(!store.conversation(gone));
        QVERIFY(!store.restoreConversation(gone));
        QCOMPARE(must(store.database().queryInt("SELECT count(*) FROM messages")), std::int64_t(0));
        QCOMPARE(must(store.search("secret")).size(), std::size_t(0));
        QVERIFY(store.conversation(keep));
    }

    void editingAndRegeneratingMakeBranches() {
        auto store = must(ChatStore::open(dbPath()));
        const auto chat = must(store.createConversation({"branches", "", "", "{}"}));
        const auto question = must(store.appendMessage(chat, std::nullopt, userTurn("What is 2+2?")));
        NewMessage answer;
        answer.role = Role::Assistant;
        answer.content = "5";
        const auto wrong = must(store.appendMessage(chat, question, answer));
        // Regenerate: a second reply under the same question.
        const auto retry = must(store.beginStreamingReply(chat, question, "m", "{}"));
        must(store.finishReply(retry, "4", "2 plus 2", {10, 1, 20.0, 300}, FinishReason::Stop));
        QCOMPARE(contents(must(store.siblings(wrong))), (std::vector<std::string>{"5", "4"}));
        QCOMPARE(contents(must(store.activePath(chat))), (std::vector<std::string>{"What is 2+2?", "4"}));
        // Edit the question: a sibling of the first user message, with its own answer.
        const auto edited = must(store.appendMessage(chat, std::nullopt, userTurn("What is 3+3?")));
        NewMessage six;
        six.role = Role::Assistant;
        six.content = "6";
        must(store.appendMessage(chat, edited, six));
        QCOMPARE(contents(must(store.siblings(question))),
                 (std::vector<std::string>{"What is 2+2?", "What is 3+3?"}));
        QCOMPARE(contents(must(store.activePath(chat))), (std::vector<std::string>{"What is 3+3?", "6"}));
        // Going back to the first question shows its newest answer, and nothing was erased.
        must(store.setActiveLeaf(chat, question));
        QCOMPARE(contents(must(store.activePath(chat))), (std::vector<std::string>{"What is 2+2?", "4"}));
        must(store.setActiveLeaf(chat, wrong));
        QCOMPARE(contents(must(store.activePath(chat))), (std::vector<std::string>{"What is 2+2?", "5"}));
        QCOMPARE(must(store.messages(chat)).size(), std::size_t(5));
        // The active path survives reopening.
        store = must(ChatStore::open(dbPath()));
        QCOMPARE(contents(must(store.activePath(chat))), (std::vector<std::string>{"What is 2+2?", "5"}));
    }

    void refusesCrossConversationParents() {
        auto store = must(ChatStore::open(dbPath()));
        const auto a = must(store.createConversation({"a", "", "", "{}"}));
        const auto b = must(store.createConversation({"b", "", "", "{}"}));
        const auto inA = must(store.appendMessage(a, std::nullopt, userTurn("in a")));
        QVERIFY(!store.appendMessage(b, inA, userTurn("wrong parent")));
        QVERIFY(!store.setActiveLeaf(b, inA));
        QVERIFY(!store.appendMessage(424242, std::nullopt, userTurn("no conversation")));
        QCOMPARE(must(store.messages(b)).size(), std::size_t(0));
    }

    void storesEveryReplyField() {
        auto store = must(ChatStore::open(dbPath()));
        const auto chat = must(store.createConversation({"fields", "", "", "{}"}));
        const auto question = must(store.appendMessage(chat, std::nullopt, userTurn("q")));
        const auto reply = must(store.beginStreamingReply(chat, question, "r1-q4", R"({"temperature":0.6})"));
        auto streaming = must(store.message(reply));
        QVERIFY(!streaming.finishReason);
        QVERIFY(!streaming.finishedAt);
        must(store.updateStreamingReply(reply, "par", "thinking"));
        QCOMPARE(must(store.message(reply)).content, std::string("par"));
        must(store.finishReply(reply, "partial answer", "thinking hard", {123, 45, 17.5, 2500},
                               FinishReason::Length));
        const auto done = must(store.message(reply));
        QCOMPARE(done.role, Role::Assistant);
        QCOMPARE(done.content, std::string("partial answer"));
        QCOMPARE(done.reasoning, std::string("thinking hard"));
        QCOMPARE(done.model, std::string("r1-q4"));
        QCOMPARE(done.settingsJson, std::string(R"({"temperature":0.6})"));
        QCOMPARE(done.stats.promptTokens, std::int64_t(123));
        QCOMPARE(done.stats.completionTokens, std::int64_t(45));
        QCOMPARE(done.stats.tokensPerSecond, 17.5);
        QCOMPARE(done.stats.reasoningMs, std::int64_t(2500));
        QCOMPARE(done.finishReason, std::optional<FinishReason>(FinishReason::Length));
        QVERIFY(done.finishedAt && *done.finishedAt >= done.createdAt);
        // A finished reply is never rewritten by a late streaming update.
        QVERIFY(!store.updateStreamingReply(reply, "late", ""));
        QVERIFY(!store.finishReply(reply, "again", "", {}, FinishReason::Stop));
        QCOMPARE(must(store.message(reply)).content, std::string("partial answer"));
    }

    void closesInterruptedReplies() {
        auto store = must(ChatStore::open(dbPath()));
        const auto chat = must(store.createConversation({"crash", "", "", "{}"}));
        const auto question = must(store.appendMessage(chat, std::nullopt, userTurn("q")));
        const auto reply = must(store.beginStreamingReply(chat, question, "m", "{}"));
        must(store.updateStreamingReply(reply, "half an ans", ""));
        QCOMPARE(must(store.closeInterruptedReplies()), 1);
        const auto closed = must(store.message(reply));
        QCOMPARE(closed.finishReason, std::optional<FinishReason>(FinishReason::Cancelled));
        QCOMPARE(closed.content, std::string("half an ans"));
        QCOMPARE(must(store.closeInterruptedReplies()), 0);
    }

    void streamingWriterFlushesAtMostOncePerInterval() {
        auto store = must(ChatStore::open(dbPath()));
        const auto chat = must(store.createConversation({"writer", "", "", "{}"}));
        const auto question = must(store.appendMessage(chat, std::nullopt, userTurn("q")));
        const auto reply = must(store.beginStreamingReply(chat, question, "m", "{}"));
        auto now = std::chrono::steady_clock::time_point{};
        StreamingWriter writer(store, reply, std::chrono::seconds(1), [&] { return now; });
        // 100 tokens in the first 0.9 s: nothing written yet.
        for (int i = 0; i < 100; ++i) {
            now += std::chrono::milliseconds(9);
            must(writer.appendReasoning("r"));
        }
        QCOMPARE(writer.flushCount(), 0);
        QCOMPARE(must(store.message(reply)).reasoning, std::string());
        now += std::chrono::milliseconds(120); // 1.02 s
        must(writer.appendContent("A"));
        QCOMPARE(writer.flushCount(), 1);
        QCOMPARE(must(store.message(reply)).reasoning, std::string(100, 'r'));
        QCOMPARE(must(store.message(reply)).content, std::string("A"));
        must(writer.appendContent("B"));
        QCOMPARE(writer.flushCount(), 1);
        now += std::chrono::milliseconds(1500);
        must(writer.flushIfDue()); // a timer tick while the model stalls
        QCOMPARE(writer.flushCount(), 2);
        QCOMPARE(must(store.message(reply)).content, std::string("AB"));
        must(writer.appendContent("C"));
        must(writer.finish({1, 3, 3.0, 990}, FinishReason::Stop));
        const auto done = must(store.message(reply));
        QCOMPARE(done.content, std::string("ABC"));
        QCOMPARE(done.finishReason, std::optional<FinishReason>(FinishReason::Stop));
    }
};

QTEST_GUILESS_MAIN(TestChatStore)
#include "tst_chatstore.moc"
