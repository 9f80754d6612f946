// The chat page's logic without QML: ChatController and ModelController over a real SQLite store,
// with a scripted backend on the real worker thread — sending, streaming saved as it arrives,
// stopping, branches from edits and regenerations, deleting with undo, search, reopening the
// database, errors shown as banners — and every list model checked by QAbstractItemModelTester.
#include "ScriptedBackend.h"
#include "app/chat/ChatController.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace lucent;
using namespace lucent::app;
using lucent::testing::ScriptedBackend;

namespace {

ScriptedBackend::Script script(std::string reasoning, std::string answer, int delayMs = 2, size_t pieceBytes = 4) {
    ScriptedBackend::Script s;
    s.reasoning = std::move(reasoning);
    s.answer = std::move(answer);
    s.pieceDelayMs = delayMs;
    s.pieceBytes = pieceBytes;
    return s;
}

const char* kReasoning = "The user greets me. I should greet back and offer help.";
const char* kAnswer = "Hello! How can I help you today?";

struct Fixture {
    QTemporaryDir dir;
    ScriptedBackend* backend = nullptr; // owned by the worker
    std::unique_ptr<ModelController> models;
    std::unique_ptr<ChatController> chat;
    std::unique_ptr<QAbstractItemModelTester> conversationTester, messageTester;

    explicit Fixture(ScriptedBackend::Script scripted = script(kReasoning, kAnswer), const QString& path = {}) {
        auto owned = std::make_unique<ScriptedBackend>(std::move(scripted));
        backend = owned.get();
        models = std::make_unique<ModelController>(std::move(owned));
        open(path.isEmpty() ? dir.filePath("lucent.db") : path);
    }
    void open(const QString& path) {
        auto store = ChatStore::open(path.toStdString());
        if (!store) qFatal("%s", store.error().message.c_str());
        chat = std::make_unique<ChatController>(std::move(*store), *models);
        conversationTester = std::make_unique<QAbstractItemModelTester>(chat->conversations(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        messageTester = std::make_unique<QAbstractItemModelTester>(chat->messages(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    bool loadModel() {
        QFile file(dir.filePath("model.gguf"));
        file.open(QIODevice::WriteOnly);
        file.write("GGUF");
        file.close();
        QSignalSpy ready(models.get(), &ModelController::modelReady);
        models->load(file.fileName());
        return ready.wait(5000);
    }
    bool waitIdle(int ms = 10000) {
        if (!chat->generating()) return true;
        QSignalSpy done(chat.get(), &ChatController::generatingChanged);
        return done.wait(ms) && !chat->generating();
    }
    QVariant role(int row, const QByteArray& name) const {
        const auto roles = chat->messages()->roleNames();
        return chat->messages()->data(chat->messages()->index(row), roles.key(name));
    }
};

} // namespace

class TestChatController : public QObject {
    Q_OBJECT
private slots:
    // The settings' context length and 8-bit KV cache reach the next load's options.
    void loadOptionsComeFromTheSettings() {
        Fixture f;
        f.models->setContextLength(8192);
        f.models->setQuantizedKvCache(true);
        QVERIFY(f.loadModel());
        QCOMPARE(f.models->info()["contextLength"].toInt(), 8192);
        QCOMPARE(f.models->info()["device"].toString(), QString("Scripted, 8-bit KV cache"));
        f.models->setQuantizedKvCache(false);
        QVERIFY(f.loadModel());
        QCOMPARE(f.models->info()["device"].toString(), QString("Scripted"));
    }

    void sendStreamsAndStoresTheReply() {
        Fixture f;
        QVERIFY(f.loadModel());
        QCOMPARE(f.models->name(), QString("DeepSeek-R1-Distill-Qwen-1.5B"));
        QSignalSpy changes(f.chat->messages(), &QAbstractItemModel::dataChanged);
        f.chat->send("Hi there");
        QVERIFY(f.chat->generating());
        QCOMPARE(f.chat->messages()->rowCount(), 2);
        QCOMPARE(f.role(1, "streaming").toBool(), true);
        QVERIFY(f.waitIdle());
        QCOMPARE(f.role(0, "content").toString(), QString("Hi there"));
        QCOMPARE(f.role(1, "reasoning").toString(), QString(kReasoning));
        QCOMPARE(f.role(1, "content").toString(), QString(kAnswer));
        QCOMPARE(f.role(1, "finishReason").toString(), QString("stop"));
        QCOMPARE(f.role(1, "streaming").toBool(), false);
        // Deltas arrive in batches: far fewer updates than the ~25 pieces played.
        QVERIFY2(changes.size() >= 2, qPrintable(QString::number(changes.size())));
        QCOMPARE(f.chat->title(), QString("Hi there"));
        QCOMPARE(f.chat->conversations()->rowCount(), 1);
        // The backend saw the conversation as the template will: the user turn only.
        const auto sent = f.backend->lastMessages();
        QCOMPARE(int(sent.size()), 1);
        QCOMPARE(sent[0].content, std::string("Hi there"));
    }

    void systemPromptAndHistoryReachTheModel() {
        Fixture f;
        QVERIFY(f.loadModel());
        f.chat->setSystemPrompt("Be brief.");
        f.chat->send("First");
        QVERIFY(f.waitIdle());
        f.chat->send("Second");
        QVERIFY(f.waitIdle());
        const auto sent = f.backend->lastMessages();
        QCOMPARE(int(sent.size()), 4);
        QCOMPARE(sent[0].role, std::string("system"));
        QCOMPARE(sent[0].content, std::string("Be brief."));
        QCOMPARE(sent[2].role, std::string("assistant"));
        QCOMPARE(sent[2].content, std::string(kAnswer));
        QCOMPARE(sent[2].reasoning.value_or(""), std::string(kReasoning)); // the template decides whether to keep it
        QCOMPARE(sent[3].content, std::string("Second"));
    }

    void stopKeepsWhatArrived() {
        Fixture f(script(std::string(400, 'r'), "never reached", 5, 4));
        QVERIFY(f.loadModel());
        f.chat->send("Think long");
        QTest::qWait(100);
        f.chat->stop();
        QVERIFY(f.waitIdle(3000));
        QCOMPARE(f.role(1, "finishReason").toString(), QString("cancelled"));
        const QString reasoning = f.role(1, "reasoning").toString();
        QVERIFY(!reasoning.isEmpty() && reasoning.size() < 400);
        QVERIFY(f.role(1, "content").toString().isEmpty());
    }

    void regenerateAndEditMakeBranches() {
        Fixture f;
        QVERIFY(f.loadModel());
        f.chat->send("Question");
        QVERIFY(f.waitIdle());
        const qint64 firstAnswer = f.role(1, "messageId").toLongLong();
        f.chat->regenerate(firstAnswer);
        QVERIFY(f.waitIdle());
        QCOMPARE(f.chat->messages()->rowCount(), 2);
        QCOMPARE(f.role(1, "siblingCount").toInt(), 2);
        QCOMPARE(f.role(1, "siblingIndex").toInt(), 1);
        f.chat->showSibling(f.role(1, "messageId").toLongLong(), -1);
        QCOMPARE(f.role(1, "messageId").toLongLong(), firstAnswer);
        QCOMPARE(f.role(1, "siblingIndex").toInt(), 0);

        const qint64 question = f.role(0, "messageId").toLongLong();
        f.chat->editMessage(question, "Better question");
        QVERIFY(f.waitIdle());
        QCOMPARE(f.role(0, "content").toString(), QString("Better question"));
        QCOMPARE(f.role(0, "siblingCount").toInt(), 2);
        QCOMPARE(f.role(1, "siblingCount").toInt(), 1); // a new branch has its own single answer
        // Back to the first question: its newest answer (the regenerated one) is shown.
        f.chat->showSibling(f.role(0, "messageId").toLongLong(), -1);
        QCOMPARE(f.role(0, "content").toString(), QString("Question"));
        QCOMPARE(f.role(1, "siblingCount").toInt(), 2);
        QCOMPARE(f.role(1, "siblingIndex").toInt(), 1);
    }

    void deleteUndoRenamePin() {
        Fixture f;
        QVERIFY(f.loadModel());
        f.chat->send("Keep me");
        QVERIFY(f.waitIdle());
        const qint64 id = f.chat->conversationId();
        f.chat->renameConversation(id, "Renamed");
        QCOMPARE(f.chat->title(), QString("Renamed"));
        f.chat->setPinned(id, true);
        const auto roles = f.chat->conversations()->roleNames();
        QCOMPARE(f.chat->conversations()->data(f.chat->conversations()->index(0), roles.key("section")).toString(), QString("Pinned"));
        f.chat->deleteConversation(id);
        QCOMPARE(f.chat->conversations()->rowCount(), 0);
        QCOMPARE(f.chat->conversationId(), qint64(0));
        QVERIFY(f.chat->canUndoDelete());
        f.chat->undoDelete();
        QCOMPARE(f.chat->conversations()->rowCount(), 1);
        QVERIFY(!f.chat->canUndoDelete());
    }

    void searchJumpsToTheMessage() {
        Fixture f;
        QVERIFY(f.loadModel());
        f.chat->send("Tell me about zebras");
        QVERIFY(f.waitIdle());
        f.chat->newChat();
        f.chat->send("Something else");
        QVERIFY(f.waitIdle());
        const QVariantList hits = f.chat->search("zebras");
        QCOMPARE(hits.size(), 1);
        const QVariantMap hit = hits[0].toMap();
        QVERIFY(hit["snippet"].toString().contains("<b>zebras</b>"));
        QSignalSpy show(f.chat.get(), &ChatController::showRow);
        f.chat->openMessage(hit["conversationId"].toLongLong(), hit["messageId"].toLongLong());
        QCOMPARE(f.chat->title(), QString("Tell me about zebras"));
        QCOMPARE(show.size(), 1);
        QCOMPARE(show[0][0].toInt(), 0);
    }

    void chatsSurviveReopening() {
        QTemporaryDir dir;
        const QString path = dir.filePath("lucent.db");
        {
            Fixture f(script(kReasoning, kAnswer), path);
            QVERIFY(f.loadModel());
            f.chat->send("Remember this");
            QVERIFY(f.waitIdle());
            f.chat->setSetting("temperature", 0.3);
            f.chat->setHideReasoning(true);
        }
        Fixture again(script(kReasoning, kAnswer), path);
        QCOMPARE(again.chat->conversations()->rowCount(), 1);
        const auto roles = again.chat->conversations()->roleNames();
        again.chat->openConversation(again.chat->conversations()->data(again.chat->conversations()->index(0), roles.key("conversationId")).toLongLong());
        QCOMPARE(again.chat->messages()->rowCount(), 2);
        QCOMPARE(again.role(1, "content").toString(), QString(kAnswer));
        QCOMPARE(again.role(1, "reasoning").toString(), QString(kReasoning));
        QVERIFY(again.chat->hideReasoning());
        QCOMPARE(again.chat->settings()["temperature"].toDouble(), 0.3);
    }

    void quittingMidReplyKeepsIt() {
        QTemporaryDir dir;
        const QString path = dir.filePath("lucent.db");
        {
            Fixture f(script(std::string(2000, 'r'), "x", 5, 4), path);
            QVERIFY(f.loadModel());
            f.chat->send("Long one");
            QTest::qWait(150);
        } // the app quits while the reply streams
        Fixture again(script("", ""), path);
        const auto roles = again.chat->conversations()->roleNames();
        again.chat->openConversation(again.chat->conversations()->data(again.chat->conversations()->index(0), roles.key("conversationId")).toLongLong());
        QCOMPARE(again.role(1, "finishReason").toString(), QString("cancelled"));
        QVERIFY(!again.role(1, "reasoning").toString().isEmpty());
    }

    void errorsBecomeBanners() {
        Fixture f;
        QSignalSpy error(f.chat.get(), &ChatController::errorChanged);
        f.chat->send("No model yet");
        QVERIFY(f.chat->error().contains("Load a model first"));
        QCOMPARE(f.chat->messages()->rowCount(), 0);
        f.chat->dismissError();
        QVERIFY(f.chat->error().isEmpty());

        f.models->load(f.dir.filePath("missing.gguf"));
        QVERIFY(f.models->error().contains("no model file"));

        auto failingScript = script("", "");
        failingScript.failReply = "the device was lost";
        Fixture failing(failingScript);
        QVERIFY(failing.loadModel());
        failing.chat->send("Hi");
        QVERIFY(failing.waitIdle());
        QVERIFY(failing.chat->error().contains("the device was lost"));
        QCOMPARE(failing.role(1, "finishReason").toString(), QString("error"));

        auto badScript = script("", "");
        badScript.failLoad = true;
        Fixture badModel(badScript);
        QSignalSpy changed(badModel.models.get(), &ModelController::changed);
        QFile file(badModel.dir.filePath("bad.gguf"));
        file.open(QIODevice::WriteOnly);
        file.close();
        badModel.models->load(file.fileName());
        QTRY_VERIFY(!badModel.models->loading());
        QVERIFY(badModel.models->error().contains("not a GGUF"));
        QVERIFY(!badModel.models->loaded());
    }

    void contextFullOffersANewChat() {
        auto full = script("", "The end of what fits");
        full.contextFull = true;
        Fixture f(full);
        QVERIFY(f.loadModel());
        f.chat->send("Long chat");
        QVERIFY(f.waitIdle());
        QVERIFY2(f.chat->error().contains("filled the model's context"), qPrintable(f.chat->error()));
        QCOMPARE(f.chat->errorAction(), QString("newChat"));
        QCOMPARE(f.role(1, "finishReason").toString(), QString("length"));
        QCOMPARE(f.role(1, "content").toString(), QString("The end of what fits"));
        f.chat->dismissError();
        QVERIFY(f.chat->errorAction().isEmpty());
    }

    void dateSections() {
        const QDateTime now(QDate(2026, 11, 22), QTime(12, 0));
        auto at = [](int daysAgo) { return QDateTime(QDate(2026, 11, 22).addDays(-daysAgo), QTime(9, 0)).toMSecsSinceEpoch(); };
        QCOMPARE(ConversationListModel::dateSection(at(0), now), QString("Today"));
        QCOMPARE(ConversationListModel::dateSection(at(1), now), QString("Yesterday"));
        QCOMPARE(ConversationListModel::dateSection(at(3), now), QString("Previous 7 days"));
        QCOMPARE(ConversationListModel::dateSection(at(20), now), QString("Previous 30 days"));
        QCOMPARE(ConversationListModel::dateSection(QDateTime(QDate(2026, 3, 2), QTime(9, 0)).toMSecsSinceEpoch(), now),
                 QLocale().standaloneMonthName(3));
        QCOMPARE(ConversationListModel::dateSection(QDateTime(QDate(2024, 3, 2), QTime(9, 0)).toMSecsSinceEpoch(), now), QString("2024"));
    }

    void lastCodeBlockForTheShortcut() {
        Fixture f(script("", "Here:\n```python\nprint('a')\n```\nand\n~~~\nsecond block\n~~~\n\n1. in a list:\n\n   ```\n   not top level\n   ```\n", 1, 64));
        QVERIFY(f.loadModel());
        f.chat->send("code please");
        QVERIFY(f.waitIdle());
        QCOMPARE(f.chat->lastCodeBlock(), QString("second block"));
    }
};

QTEST_MAIN(TestChatController)
#include "tst_chat_controller.moc"
