// Hostile conditions: a locked database, a read-only file, a full disk, a damaged file. Each gives
// a sentence a user can act on, and the user's data is never overwritten or deleted.
#include "StorageTestSupport.h"
#include "storage/ChatStore.h"
#include "storage/StreamingWriter.h"

#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace lucent;

namespace {

struct ChildResult {
    int exitCode = -1;
    QString output;
};

ChildResult runChild(const QStringList& arguments) {
    QProcess child;
    child.start(LUCENT_STORAGE_CHILD, arguments);
    if (!child.waitForFinished(30000)) return {};
    return {child.exitCode(), QString::fromUtf8(child.readAllStandardOutput() + child.readAllStandardError())};
}

NewMessage userTurn(std::string text) {
    NewMessage message;
    message.content = std::move(text);
    return message;
}

} // namespace

class TestStorageFailures : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    /// A database with `conversations` conversations of 10 messages each, closed again.
    QString makeStore(const QString& name, int conversations = 3) {
        const QString path = dir_.path() + "/" + name;
        for (const char* suffix : {"", "-wal", "-shm"}) QFile::remove(path + suffix);
        auto store = must(ChatStore::open(path.toStdString()));
        for (int c = 0; c < conversations; ++c) {
            const auto chat = must(store.createConversation({"chat " + std::to_string(c), "", "", "{}"}));
            std::optional<MessageId> parent;
            for (int m = 0; m < 10; ++m)
                parent = must(store.appendMessage(chat, parent, userTurn("message " + std::to_string(m) +
                                                                         " with some words to index")));
        }
        return path;
    }

    static std::int64_t messageCount(ChatStore& store) {
        return must(store.database().queryInt("SELECT count(*) FROM messages"));
    }

private slots:
    void lockedDatabaseSaysSoAndRecovers() {
        const QString path = makeStore("locked.db");
        auto store = must(ChatStore::open(path.toStdString(), {true, 200}));
        const auto chat = must(store.listRecent(1)).front().id;
        const auto question = must(store.activePath(chat)).back().id;
        const auto reply = must(store.beginStreamingReply(chat, question, "m", "{}"));
        const auto before = messageCount(store);

        auto other = must(Database::open(path.toStdString(), OpenMode::ReadWrite));
        other.setBusyTimeout(0);
        must(other.exec("BEGIN IMMEDIATE")); // another program holds the write lock
        auto appended = store.appendMessage(chat, question, userTurn("blocked"));
        QVERIFY(!appended);
        QVERIFY2(appended.error().message.find("is locked by another program") != std::string::npos,
                 appended.error().message.c_str());
        StreamingWriter writer(store, reply, std::chrono::milliseconds(0));
        QVERIFY(!writer.appendContent("kept in memory"));
        must(other.exec("ROLLBACK"));

        QCOMPARE(messageCount(store), before);
        must(writer.flush()); // the unsaved text is retried once the lock is gone
        QCOMPARE(must(store.message(reply)).content, std::string("kept in memory"));
        must(store.appendMessage(chat, question, userTurn("now it works")));

        // A program holding the file exclusively: opening says so instead of hanging or failing oddly.
        store = must(ChatStore::open((dir_.path() + "/unrelated.db").toStdString())); // let go of locked.db
        other.setBusyTimeout(2000);
        must(other.exec("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;"));
        auto blocked = ChatStore::open(path.toStdString(), {true, 200});
        QVERIFY(!blocked);
        QVERIFY2(blocked.error().message.find("locked") != std::string::npos, blocked.error().message.c_str());
    }

    void readOnlyFileSaysSoAndStaysUntouched() {
        const QString path = makeStore("readonly.db");
        QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther);
        QFile::setPermissions(dir_.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                               QFile::ReadOther | QFile::ExeOther | QFile::ReadGroup | QFile::ExeGroup);
        const QByteArray before = fileHash(path);
        QString message;
        if (geteuid() == 0) {
            // Root writes through file permissions; the check needs an ordinary user's process.
            const ChildResult child = runChild({"open-as-nobody", path});
            QCOMPARE(child.exitCode, 3);
            message = child.output;
        } else {
            auto store = ChatStore::open(path.toStdString());
            QVERIFY(!store);
            message = QString::fromStdString(store.error().message);
        }
        QVERIFY2(message.contains("is read-only") && message.contains("permissions"), qPrintable(message));
        QCOMPARE(fileHash(path), before);
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    }

    void fullDiskKeepsSavedChats() {
        const QString path = makeStore("full.db", 20);
        const qint64 size = QFileInfo(path).size();
        const ChildResult child = runChild({"append-big", path, QString::number(std::max<qint64>(size, 65536) + 16384)});
        QCOMPARE(child.exitCode, 3);
        QVERIFY2(child.output.contains("no room left") && child.output.contains("free some space"), qPrintable(child.output));
        auto store = must(ChatStore::open(path.toStdString()));
        QCOMPARE(integrityCheck(store.database()), QString("ok"));
        QCOMPARE(messageCount(store), std::int64_t(200));
        QCOMPARE(must(store.search("indexed words")).size(), std::size_t(0));
        QCOMPARE(must(store.search("message words")).size(), std::size_t(50));
        QCOMPARE(must(store.database().queryInt("SELECT max(length(content)) FROM messages")), std::int64_t(34)); // no 1 MiB row
    }

    void fullDiskDuringUpgradeChangesNothing() {
        const QString path = dir_.path() + "/upgrade-full.db";
        QFile::remove(path);
        QVERIFY(QFile::copy(LUCENT_SOURCE_DIR "/tests/storage/fixtures/chats_v1.db", path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        const QByteArray before = fileHash(path);
        const ChildResult child = runChild({"open", path, "8192"});
        QCOMPARE(child.exitCode, 3);
        QVERIFY2(child.output.contains("backup") && child.output.contains("not upgraded") && child.output.contains("no room left"),
                 qPrintable(child.output));
        QCOMPARE(fileHash(path), before);
        QVERIFY(!QFile::exists(path + ".backup-v1"));
        QVERIFY(!QFile::exists(path + ".backup-v1.partial"));
        // With room again, the same file upgrades.
        auto store = must(ChatStore::open(path.toStdString()));
        QCOMPARE(must(store.database().queryInt("PRAGMA user_version")), std::int64_t(2));
    }

    void damagedFileIsReportedAndLeftAlone_data() {
        QTest::addColumn<QString>("damage");
        QTest::newRow("random bytes") << "random";
        QTest::newRow("header zeroed") << "header";
        QTest::newRow("cut in half") << "truncate";
        QTest::newRow("pages overwritten") << "pages";
    }

    void damagedFileIsReportedAndLeftAlone() {
        QFETCH(QString, damage);
        const QString path = makeStore("damaged.db", 40);
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadWrite));
            const qint64 size = file.size();
            QByteArray noise(4096, '\0');
            for (auto& byte : noise) byte = static_cast<char>(QRandomGenerator::global()->bounded(256));
            if (damage == "random") {
                file.resize(0);
                file.write(noise);
                file.write(noise);
            } else if (damage == "header") {
                file.write(QByteArray(100, '\0'));
            } else if (damage == "truncate") {
                file.resize(size / 2);
            } else {
                for (qint64 page = 2; page * 4096 < size; page += 2) {
                    file.seek(page * 4096);
                    file.write(noise);
                }
            }
        }
        const QByteArray before = fileHash(path);
        QString message;
        {
            auto store = ChatStore::open(path.toStdString());
            if (!store) {
                message = QString::fromStdString(store.error().message);
            } else {
                // Damage deep inside the file shows up when the pages are read.
                auto recent = store->listRecent(100);
                if (!recent) message = QString::fromStdString(recent.error().message);
                for (const auto& conversation : recent ? *recent : std::vector<Conversation>{}) {
                    auto messages = store->messages(conversation.id);
                    if (!messages) message = QString::fromStdString(messages.error().message);
                }
                if (auto hits = store->search("words", 1000); !hits) message = QString::fromStdString(hits.error().message);
                QVERIFY(!store->appendMessage(1, std::nullopt, userTurn("must not land")) || !message.isEmpty());
            }
        }
        QVERIFY2(message.contains("is damaged or is not a SQLite database") && message.contains("untouched"),
                 qPrintable(message));
        QCOMPARE(fileHash(path), before);
    }
};

QTEST_GUILESS_MAIN(TestStorageFailures)
#include "tst_storage_failures.moc"
