// Crash safety: a child process streams a reply into the database and is killed with SIGKILL at
// a random moment, 50 times over the same file. After each kill the file passes integrity_check,
// every committed message is intact, and the reply in progress holds at least what the child had
// flushed (and nothing that was never written).
#include "CrashScript.h"
#include "StorageTestSupport.h"
#include "storage/ChatStore.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <map>
#include <sys/types.h>

using namespace lucent;

namespace {

struct Committed {
    MessageId id;
    int round;
    bool isAnswer;
};

struct RoundLog {
    std::vector<Committed> committed;
    std::optional<MessageId> streaming;
    int flushedPieces = 0; ///< pieces the child reported as saved
    QString errors;
};

RoundLog readLog(const QByteArray& output) {
    RoundLog log;
    for (const QByteArray& line : output.split('\n')) {
        const QList<QByteArray> words = line.split(' ');
        if (words.value(0) == "committed" && words.size() == 4)
            log.committed.push_back({words[2].toLongLong(), words[3].toInt(), words[1] == "answer"});
        else if (words.value(0) == "streaming" && words.size() == 2)
            log.streaming = words[1].toLongLong();
        else if (words.value(0) == "flushed" && words.size() == 2)
            log.flushedPieces = words[1].toInt();
        else if (words.value(0) == "error:")
            log.errors += QString::fromUtf8(line) + "\n";
    }
    return log;
}

bool startsWith(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

} // namespace

class TestStorageCrash : public QObject {
    Q_OBJECT

private slots:
    void survivesSigkillWhileStreaming() {
        QTemporaryDir dir;
        const QString path = dir.path() + "/lucent.db";
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("kill times seeded with %u", seed);
        QRandomGenerator random(seed);
        std::vector<Committed> everCommitted;
        int killedWhileStreaming = 0;
        QElapsedTimer total;
        total.start();

        for (int round = 0; round < 50; ++round) {
            QProcess child;
            child.setProgram(LUCENT_STORAGE_CHILD);
            child.setArguments({"stream", path, QString::number(round)});
            child.start();
            QVERIFY2(child.waitForStarted(5000), qPrintable(child.errorString()));
            // Most kills land mid-stream; some during open, migration or the first commits.
            QThread::msleep(random.bounded(0, 120));
            ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished(5000));
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);
            const RoundLog log = readLog(child.readAllStandardOutput());
            QVERIFY2(log.errors.isEmpty(), qPrintable(log.errors));
            everCommitted.insert(everCommitted.end(), log.committed.begin(), log.committed.end());

            auto store = must(ChatStore::open(path.toStdString()), "reopening after SIGKILL");
            QCOMPARE(integrityCheck(store.database()), QString("ok"));
            for (const Committed& message : everCommitted) {
                auto stored = store.message(message.id);
                QVERIFY2(stored, stored ? "" : stored.error().message.c_str());
                QCOMPARE(stored->content, message.isAnswer ? crash_script::answer(message.round)
                                                           : crash_script::question(message.round));
                if (message.isAnswer)
                    QCOMPARE(stored->finishReason, std::optional<FinishReason>(FinishReason::Stop));
            }
            if (log.streaming) {
                ++killedWhileStreaming;
                const auto partial = must(store.message(*log.streaming));
                QVERIFY(!partial.finishReason);
                const std::string reasoning = crash_script::fullReasoning(round);
                QVERIFY2(startsWith(reasoning, partial.reasoning), partial.reasoning.c_str());
                // Content only starts once the reasoning is complete.
                if (!partial.content.empty()) QCOMPARE(partial.reasoning, reasoning);
                const std::string flushedContent = crash_script::contentAfter(round, log.flushedPieces);
                const std::string allContent = crash_script::contentAfter(round, 200000 > log.flushedPieces + 5000 ? log.flushedPieces + 5000 : 200000);
                QVERIFY2(startsWith(partial.content, flushedContent),
                         "the reply lost text the child had flushed");
                QVERIFY2(startsWith(allContent, partial.content), "the reply holds text never written");
                if (log.flushedPieces <= crash_script::kReasoningPieces) {
                    std::string flushedReasoning;
                    for (int i = 0; i < log.flushedPieces; ++i) flushedReasoning += crash_script::piece(round, i);
                    QVERIFY(startsWith(partial.reasoning, flushedReasoning));
                }
            }
        }
        qInfo("50 kills in %lld ms; %d mid-stream, %zu committed messages checked after each",
              static_cast<long long>(total.elapsed()), killedWhileStreaming, everCommitted.size());
        QVERIFY2(killedWhileStreaming >= 25, "too few kills landed mid-stream to mean anything");
        QVERIFY(total.elapsed() < 60000);
        // The interrupted replies can be closed, and their text stays.
        auto store = must(ChatStore::open(path.toStdString()));
        QVERIFY(must(store.closeInterruptedReplies()) >= killedWhileStreaming);
    }
};

QTEST_GUILESS_MAIN(TestStorageCrash)
#include "tst_storage_crash.moc"
