// Schema upgrades from every past version (fixtures in fixtures/), the backup taken first, a
// failing step stopping the upgrade, and the checks on open: newer schema, foreign files.
#include "StorageTestSupport.h"
#include "storage/ChatStore.h"
#include "storage/Database.h"
#include "storage/Migrations.h"
#include "storage/Statement.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace lucent;

namespace {

const QString kFixtures = QStringLiteral(LUCENT_SOURCE_DIR "/tests/storage/fixtures");

/// The schema as (type, name, sql) lines, to compare a migrated file with a fresh one.
QStringList schemaOf(Database& db) {
    auto select = must(db.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY name"));
    QStringList lines;
    while (must(select.step()))
        lines << QString::fromStdString(select.columnText(0) + " " + select.columnText(1) + " " +
                                        select.columnText(2));
    return lines;
}

/// Every row of the v1 tables, as text: the data a migration must carry over unchanged.
QStringList rowsOf(Database& db) {
    QStringList rows;
    for (const char* sql : {"SELECT * FROM conversations ORDER BY id", "SELECT * FROM messages ORDER BY id"}) {
        auto select = must(db.prepare(sql));
        while (must(select.step())) {
            QString row;
            for (int column = 0; column < 16; ++column)
                row += QString::fromStdString(select.columnText(column)) + "|";
            rows << row;
        }
    }
    return rows;
}

Expected<void> createMarkerTable(Database& db) { return db.exec("CREATE TABLE step_marker (x)"); }
Expected<void> failHalfway(Database& db) {
    if (auto created = db.exec("CREATE TABLE half_done (x)"); !created) return created;
    return db.exec("INSERT INTO no_such_table VALUES (1)");
}

} // namespace

class TestStorageMigrations : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    /// A fresh copy of a fixture (from the committed .db, or built from its .sql snapshot).
    QString copyFixture(const QString& fixture, const QString& name) {
        const QString target = dir_.path() + "/" + name;
        QFile::remove(target);
        for (const char* suffix : {"-wal", "-shm", ".backup-v1"}) QFile::remove(target + suffix);
        if (fixture.endsWith(".db")) {
            if (!QFile::copy(kFixtures + "/" + fixture, target)) qFatal("cannot copy %s", qPrintable(fixture));
            QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner);
        } else {
            QFile sql(kFixtures + "/" + fixture);
            if (!sql.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(fixture));
            auto db = must(Database::open(target.toStdString(), OpenMode::ReadWriteCreate));
            must(db.exec(sql.readAll().toStdString()));
        }
        return target;
    }

private slots:
    void everyPastVersionHasAFixture() {
        const QStringList fixtures = QDir(kFixtures).entryList({"chats_v*.db"});
        for (int version = 1; version < kSchemaVersion; ++version)
            QVERIFY2(fixtures.contains(QString("chats_v%1.db").arg(version)),
                     qPrintable(QString("no fixture for schema %1").arg(version)));
    }

    void upgradesKeepingEverything_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<int>("version");
        for (const QString& db : QDir(kFixtures).entryList({"chats_v*.db"})) {
            const int version = db.mid(7, db.size() - 10).toInt();
            QTest::newRow(qPrintable(db)) << db << version;
            QTest::newRow(qPrintable(db.chopped(3) + ".sql")) << db.chopped(3) + ".sql" << version;
        }
    }

    void upgradesKeepingEverything() {
        QFETCH(QString, fixture);
        QFETCH(int, version);
        const QString path = copyFixture(fixture, "upgrade.db");
        QStringList rowsBefore;
        {
            auto db = must(Database::open(path.toStdString(), OpenMode::ReadWrite));
            rowsBefore = rowsOf(db);
            QCOMPARE(must(checkSchema(db)), version);
        }
        QVERIFY(!rowsBefore.isEmpty());

        auto store = must(ChatStore::open(path.toStdString()));
        QCOMPARE(must(store.database().queryInt("PRAGMA user_version")), std::int64_t(kSchemaVersion));
        QCOMPARE(must(store.database().queryInt("PRAGMA application_id")), std::int64_t(kApplicationId));
        QCOMPARE(rowsOf(store.database()), rowsBefore);
        QCOMPARE(integrityCheck(store.database()), QString("ok"));

        // The backup holds the file as it was before the upgrade.
        const std::string backup = backupPathFor(path.toStdString(), version);
        {
            auto old = must(Database::open(backup, OpenMode::ReadOnly));
            QCOMPARE(must(old.queryInt("PRAGMA user_version")), std::int64_t(version));
            QCOMPARE(rowsOf(old), rowsBefore);
        }

        // What the fixture holds (chats_v1.sql) reads back through the current API.
        auto recent = must(store.listRecent(10));
        QCOMPARE(recent.size(), std::size_t(2));
        QCOMPARE(recent[0].title, std::string("Café plans"));
        QVERIFY(recent[0].pinned);
        QCOMPARE(recent[0].settingsJson, std::string(R"({"temperature":0.6,"top_p":0.95})"));
        auto path1 = must(store.activePath(recent[0].id));
        QCOMPARE(path1.size(), std::size_t(3));
        QCOMPARE(path1[2].content, std::string("And in 東京?"));
        QCOMPARE(must(store.siblings(path1[1].id)).size(), std::size_t(2));
        auto first = must(store.message(2));
        QCOMPARE(first.reasoning, std::string("The user wants food in Paris; suggest something central."));
        QCOMPARE(first.stats.tokensPerSecond, 18.25);
        QCOMPARE(first.finishReason, std::optional<FinishReason>(FinishReason::Stop));
        // Messages written under the old schema are searchable after the upgrade.
        QCOMPARE(must(store.search("cafe")).size(), std::size_t(1));
        QCOMPARE(must(store.search("東京")).size(), std::size_t(1));
        QCOMPARE(must(store.search("central")).size(), std::size_t(1));
        QCOMPARE(must(store.search("hidden")).size(), std::size_t(0)); // deleted conversation
        // And the file keeps working: a new branch, then an interrupted reply closed.
        NewMessage more;
        more.content = "Ramen in Shinjuku";
        must(store.appendMessage(recent[0].id, path1[2].id, more));
        QCOMPARE(must(store.search("shinjuku")).size(), std::size_t(1));
        QCOMPARE(must(store.closeInterruptedReplies()), 1);
    }

    void migratedSchemaEqualsFreshSchema() {
        const QString migrated = copyFixture("chats_v1.db", "migrated.db");
        const QString fresh = dir_.path() + "/fresh.db";
        QFile::remove(fresh);
        auto a = must(ChatStore::open(migrated.toStdString()));
        auto b = must(ChatStore::open(fresh.toStdString()));
        QCOMPARE(schemaOf(a.database()), schemaOf(b.database()));
        QVERIFY(!QFile::exists(fresh + ".backup-v0")); // nothing to back up in a new file
    }

    void stopsAtTheFirstFailingStep_data() {
        QTest::addColumn<int>("failingVersion");
        QTest::newRow("step 2 of 3 fails") << 2;
        QTest::newRow("step 3 of 3 fails") << 3;
    }

    void stopsAtTheFirstFailingStep() {
        QFETCH(int, failingVersion);
        const QString path = copyFixture("chats_v1.db", "failing.db");
        const auto real = migrationSteps();
        std::vector<MigrationStep> steps(real.begin(), real.end());
        if (failingVersion == 2) steps[1] = {2, "a step that fails", failHalfway};
        steps.push_back({3, failingVersion == 3 ? "a step that fails" : "a marker table",
                         failingVersion == 3 ? failHalfway : createMarkerTable});

        auto db = must(Database::open(path.toStdString(), OpenMode::ReadWrite));
        const QStringList rowsBefore = rowsOf(db);
        auto result = prepareSchema(db, steps);
        QVERIFY(!result);
        const QString message = QString::fromStdString(result.error().message);
        QVERIFY2(message.contains(QString("to schema %1").arg(failingVersion)), qPrintable(message));
        QVERIFY2(message.contains("backup-v1"), qPrintable(message));
        QCOMPARE(must(db.queryInt("PRAGMA user_version")), std::int64_t(failingVersion - 1));
        QCOMPARE(must(db.queryInt("SELECT count(*) FROM sqlite_schema WHERE name IN ('half_done', 'step_marker')")),
                 std::int64_t(0)); // the failing step rolled back; no later step ran
        QCOMPARE(rowsOf(db), rowsBefore);
        QVERIFY(QFile::exists(path + ".backup-v1"));
    }

    void refusesNewerSchemaUntouched() {
        const QString path = copyFixture("chats_v1.db", "newer.db");
        {
            auto db = must(Database::open(path.toStdString(), OpenMode::ReadWrite));
            must(db.exec("PRAGMA user_version = 99"));
        }
        const QByteArray before = fileHash(path);
        auto store = ChatStore::open(path.toStdString());
        QVERIFY(!store);
        const QString message = QString::fromStdString(store.error().message);
        QVERIFY2(message.contains("newer Lucent") && message.contains("99"), qPrintable(message));
        QCOMPARE(fileHash(path), before);
        QVERIFY(!QFile::exists(path + ".backup-v99"));
    }

    void refusesForeignDatabasesUntouched_data() {
        QTest::addColumn<QString>("setup");
        QTest::newRow("another program's tables") << "CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT); INSERT INTO photos VALUES (1, 'a.jpg');";
        QTest::newRow("another application_id") << "PRAGMA application_id = 1234567; CREATE TABLE t (x);";
        QTest::newRow("a version but no application_id") << "PRAGMA user_version = 1; CREATE TABLE conversations (x);";
    }

    void refusesForeignDatabasesUntouched() {
        QFETCH(QString, setup);
        const QString path = dir_.path() + "/foreign.db";
        QFile::remove(path);
        {
            auto db = must(Database::open(path.toStdString(), OpenMode::ReadWriteCreate));
            must(db.exec(setup.toStdString()));
        }
        const QByteArray before = fileHash(path);
        auto store = ChatStore::open(path.toStdString());
        QVERIFY(!store);
        const QString message = QString::fromStdString(store.error().message);
        QVERIFY2(message.contains("another program"), qPrintable(message));
        QCOMPARE(fileHash(path), before);
    }
};

QTEST_GUILESS_MAIN(TestStorageMigrations)
#include "tst_storage_migrations.moc"
