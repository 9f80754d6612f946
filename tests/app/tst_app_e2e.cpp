// The whole desktop app, offscreen, as a user drives it: the real engine on a tiny R1-distill-shaped
// model (real vocabulary and template, random weights), typing into the composer, Enter to send, a
// streamed answer with its reasoning, Esc to stop, a regenerated branch, a restart that finds the chat
// intact. A scripted backend then shows a full reasoning + answer + code conversation for screenshots
// (light and dark), saved in the build tree: look at them.
#include "ScriptedBackend.h"
#include "TinyR1Model.h"
#include "app/desktop/DesktopApp.h"

#include <QDir>
#include <QFile>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace lucent;
using namespace lucent::app;

namespace {

const QString kScreenshots = QStringLiteral(QT_TESTCASE_BUILDDIR "/screenshots");

// Searches the visual tree (QML items are not always QObject children of what they sit in).
QQuickItem* findItem(QQuickItem* item, const QString& objectName) {
    if (item->objectName() == objectName) return item;
    for (QQuickItem* child : item->childItems())
        if (QQuickItem* found = findItem(child, objectName)) return found;
    return nullptr;
}

QQuickItem* findItem(QQuickWindow* window, const char* objectName) {
    if (QQuickItem* found = findItem(window->contentItem(), QString(objectName))) return found;
    // Popups (the library) live in the overlay layer.
    for (QObject* child : window->findChildren<QObject*>())
        if (auto* item = qobject_cast<QQuickItem*>(child); item && item->objectName() == objectName) return item;
    return nullptr;
}

// Models are looked for only here (never in the machine's real LM Studio/Ollama folders).
library::DiscoveryRoots fixtureRoots(const QString& dir) {
    library::DiscoveryRoots roots;
    roots.lucentModels = dir + "/models";
    return roots;
}

void typeAndSend(QQuickWindow* window, const QString& text) {
    QQuickItem* input = findItem(window, "composerInput");
    QVERIFY(input);
    input->forceActiveFocus();
    QTRY_VERIFY(input->hasActiveFocus());
    for (const QChar c : text) QTest::keyClick(window, c.toLatin1()); // ASCII: QTest types into a QWindow key by key
    QTest::keyClick(window, Qt::Key_Return);
}

bool waitUntilIdle(ChatController& chat, int ms) {
    QElapsedTimer timer;
    timer.start();
    while (chat.generating() && timer.elapsed() < ms) QTest::qWait(20);
    return !chat.generating();
}

QVariant role(ChatController& chat, int row, const QByteArray& name) {
    auto* model = chat.messages();
    return model->data(model->index(row), model->roleNames().key(name));
}

void saveScreenshot(QQuickWindow* window, const QString& name) {
    QDir().mkpath(kScreenshots);
    const QImage image = window->grabWindow();
    QVERIFY(!image.isNull());
    QVERIFY(image.save(kScreenshots + "/" + name));
    qInfo("screenshot: %s", qPrintable(kScreenshots + "/" + name));
}

} // namespace

class TestAppEndToEnd : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString modelPath_;

private slots:
    void initTestCase() {
        modelPath_ = dir_.filePath("tiny-r1.gguf");
        auto written = testing::writeTinyR1Model(modelPath_.toStdString(), testing::R1Template::Think,
                                                 testing::tinyModelSpec(2, "Q8_0", "Tiny R1 test model"));
        QVERIFY2(written, written ? "" : written.error().message.c_str());
    }

    void chatWithTheRealEngine() {
        const QString data = dir_.filePath("data");
        qint64 conversation = 0;
        {
            DesktopOptions options;
            options.dataDir = data;
            options.modelPath = modelPath_;
            options.discoveryRoots = fixtureRoots(data);
            auto started = DesktopApp::start(std::move(options));
            QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
            DesktopApp& app = **started;
            QQuickWindow* window = app.window();
            QVERIFY(window);
            QTRY_VERIFY_WITH_TIMEOUT(app.models().loaded(), 20000);
            QCOMPARE(app.models().info()["architecture"].toString(), QString("qwen2"));
            app.chat().setSetting("maxTokens", 16);
            app.chat().setSetting("temperature", 0.0); // greedy: the same tokens every run

            typeAndSend(window, "Why is the sky blue?");
            QTRY_VERIFY(app.chat().messages()->rowCount() == 2);
            QVERIFY(waitUntilIdle(app.chat(), 30000));
            QCOMPARE(role(app.chat(), 0, "content").toString(), QString("Why is the sky blue?"));
            // R1's template opens <think>: a random model's words stream in as reasoning.
            QVERIFY(!role(app.chat(), 1, "reasoning").toString().isEmpty());
            QCOMPARE(role(app.chat(), 1, "tokens").toInt(), 16);
            QCOMPARE(role(app.chat(), 1, "finishReason").toString(), QString("length"));
            QVERIFY(role(app.chat(), 1, "tokensPerSecond").toDouble() > 0);
            saveScreenshot(window, "engine-reply.png");

            // Esc stops a long reply within a token.
            app.chat().setSetting("maxTokens", 100000);
            typeAndSend(window, "Tell me more.");
            QTRY_VERIFY_WITH_TIMEOUT(!role(app.chat(), 3, "reasoning").toString().isEmpty(), 20000);
            QTest::keyClick(window, Qt::Key_Escape);
            QVERIFY(waitUntilIdle(app.chat(), 5000));
            QCOMPARE(role(app.chat(), 3, "finishReason").toString(), QString("cancelled"));

            // Regenerate: a second answer to the same question, navigable as ‹ 2/2 ›.
            app.chat().setSetting("maxTokens", 8);
            app.chat().regenerate(role(app.chat(), 3, "messageId").toLongLong());
            QVERIFY(waitUntilIdle(app.chat(), 30000));
            QCOMPARE(role(app.chat(), 3, "siblingCount").toInt(), 2);
            conversation = app.chat().conversationId();
        }
        // Restart: the chat is where it was.
        DesktopOptions options;
        options.dataDir = data;
        options.discoveryRoots = fixtureRoots(data);
        auto again = DesktopApp::start(std::move(options));
        QVERIFY(again.ok());
        DesktopApp& app = **again;
        QTRY_VERIFY_WITH_TIMEOUT(app.models().loaded(), 20000); // the last model is loaded again
        QCOMPARE(app.chat().conversations()->rowCount(), 1);
        app.chat().openConversation(conversation);
        QCOMPARE(app.chat().messages()->rowCount(), 4);
        QCOMPARE(role(app.chat(), 2, "content").toString(), QString("Tell me more."));
        QCOMPARE(role(app.chat(), 3, "siblingCount").toInt(), 2);
    }

    // A fresh install with no model anywhere opens the library with its recommendation.
    void firstRunOpensTheLibrary() {
        DesktopOptions options;
        options.dataDir = dir_.filePath("first-run");
        options.discoveryRoots = fixtureRoots(options.dataDir);
        auto started = DesktopApp::start(std::move(options));
        QVERIFY(started.ok());
        DesktopApp& app = **started;
        QQuickWindow* window = app.window();
        QQuickItem* list = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((list = findItem(window, "libraryList")) != nullptr && list->isVisible(), 10000);
        QVERIFY(!app.library().recommendedId().isEmpty());
        QVERIFY(app.library().models()->rowCount() >= 7);
        QTest::qWait(300);
        saveScreenshot(window, "library-first-run.png");
    }

    void screenshotsOfAReasoningConversation_data() {
        QTest::addColumn<QString>("theme");
        QTest::newRow("light") << "light";
        QTest::newRow("dark") << "dark";
    }
    void screenshotsOfAReasoningConversation() {
        QFETCH(QString, theme);
        testing::ScriptedBackend::Script script;
        script.reasoning = "The user wants a function that reverses a string in Python. Slicing with a step of -1 "
                           "is the idiomatic way; I should also mention that it works for any sequence.";
        script.answer = "Use slicing with a negative step:\n\n```python\ndef reverse(text: str) -> str:\n    \"\"\"Return text backwards.\"\"\"\n"
                        "    return text[::-1]\n\nprint(reverse(\"Lucent\"))  # tnecuL\n```\n\n"
                        "This works for **any sequence**, including lists and tuples.";
        script.pieceDelayMs = 3;
        script.pieceBytes = 6;
        DesktopOptions options;
        options.dataDir = dir_.filePath("screens-" + theme);
        options.modelPath = dir_.filePath("scripted.gguf");
        QFile(options.modelPath).open(QIODevice::WriteOnly);
        options.theme = theme;
        options.discoveryRoots = fixtureRoots(options.dataDir);
        options.backend = std::make_unique<testing::ScriptedBackend>(script);
        auto started = DesktopApp::start(std::move(options));
        QVERIFY(started.ok());
        DesktopApp& app = **started;
        QQuickWindow* window = app.window();
        QTRY_VERIFY(app.models().loaded());
        typeAndSend(window, "How do I reverse a string in Python?");

        // While it thinks, the reasoning panel is open and says "Thinking…".
        QTRY_VERIFY_WITH_TIMEOUT(role(app.chat(), 1, "thinking").toBool(), 5000);
        QQuickItem* panel = nullptr;
        QTRY_VERIFY((panel = findItem(window, "reasoningPanel")) != nullptr);
        QTRY_VERIFY(panel->property("expanded").toBool());
        QVERIFY(panel->property("headerText").toString().startsWith("Thinking"));
        QVERIFY(waitUntilIdle(app.chat(), 10000));
        // The answer began: the panel folded to "Thought for … s".
        QTRY_VERIFY(!panel->property("expanded").toBool());
        QVERIFY2(panel->property("headerText").toString().startsWith("Thought for"), qPrintable(panel->property("headerText").toString()));
        QCOMPARE(role(app.chat(), 1, "content").toString(), QString::fromStdString(script.answer));
        // The answer's code block, coloured by KDE's highlighter once it stopped changing.
        QQuickItem* code = nullptr;
        QTRY_VERIFY((code = findItem(window, "codeBlock")) != nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(code->property("highlighted").toBool(), 10000);
        QVERIFY2(code->property("shownHtml").toString().contains("<span style="), qPrintable(code->property("shownHtml").toString()));
        panel->setProperty("expanded", true); // show it open in the picture
        QTest::qWait(200);
        saveScreenshot(window, "reasoning-" + theme + ".png");
        // Ctrl+, opens the settings: sampling, context length, the 8-bit KV cache
        QTest::keyClick(window, Qt::Key_Comma, Qt::ControlModifier);
        QTest::qWait(1000);
        saveScreenshot(window, "settings-" + theme + ".png");
    }
};

QTEST_MAIN(TestAppEndToEnd)
#include "tst_app_e2e.moc"
