// lucent-cli export / import as a user runs them: a real process, its output and exit code.
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run cli(const QStringList& arguments) {
    QProcess process;
    process.start(LUCENT_CLI_PATH, arguments);
    if (!process.waitForFinished(30000)) return {};
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

QString withoutExportTime(QString json) {
    return json.remove(QRegularExpression("\"exported_at\": \\d+,"));
}

} // namespace

class TestStorageCli : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void exportsAndImportsRoundTrip() {
        const QString a = dir_.path() + "/a", b = dir_.path() + "/b";
        QDir().mkpath(a);
        QVERIFY(QFile::copy(LUCENT_SOURCE_DIR "/tests/storage/fixtures/chats_v1.db", a + "/lucent.db"));
        QFile::setPermissions(a + "/lucent.db", QFile::ReadOwner | QFile::WriteOwner);

        Run exported = cli({"export", "--all", "-o", a + "/all.json", "--json", "--data-dir", a});
        QCOMPARE(exported.exitCode, 0);
        const QJsonObject summary = QJsonDocument::fromJson(exported.out.toUtf8()).object();
        QCOMPARE(summary.value("conversations").toInt(), 2);
        QCOMPARE(summary.value("format").toString(), QString("json"));
        QVERIFY(exported.out.endsWith("}\n") && exported.out.count('\n') == 1);

        Run imported = cli({"import", a + "/all.json", "--json", "--data-dir", b});
        QCOMPARE(imported.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(imported.out.toUtf8()).object().value("imported").toInt(), 2);

        Run again = cli({"export", "--data-dir", b});
        QCOMPARE(again.exitCode, 0);
        QFile first(a + "/all.json");
        QVERIFY(first.open(QIODevice::ReadOnly));
        QCOMPARE(withoutExportTime(again.out), withoutExportTime(QString::fromUtf8(first.readAll())));

        Run markdown = cli({"export", "--conversation", "1", "--format", "markdown", "--data-dir", b});
        QCOMPARE(markdown.exitCode, 0);
        QVERIFY(markdown.out.startsWith("# Café plans\n"));
        QVERIFY(markdown.out.contains("<details>"));
    }

    void reportsErrorsOnOneLine_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("error");
        QTest::newRow("no database") << QStringList{"export", "--data-dir", "@/none"} << "There is no chat database at";
        QTest::newRow("bad format") << QStringList{"export", "--format", "pdf", "--data-dir", "@"} << "unknown format 'pdf'";
        QTest::newRow("both selections") << QStringList{"export", "--all", "--conversation", "1", "--data-dir", "@"} << "exclude each other";
        QTest::newRow("bad id") << QStringList{"export", "--conversation", "abc", "--data-dir", "@"} << "needs a conversation id";
        QTest::newRow("json without file") << QStringList{"export", "--json", "--data-dir", "@"} << "--json needs -o FILE";
        QTest::newRow("missing import file") << QStringList{"import", "@/nope.json", "--data-dir", "@/fresh"} << "cannot read";
        QTest::newRow("not an export") << QStringList{"import", LUCENT_SOURCE_DIR "/tests/storage/fixtures/chats_v1.sql", "--data-dir", "@/fresh"} << "chats_v1.sql is not valid JSON";
        QTest::newRow("no file given") << QStringList{"import", "--data-dir", "@/fresh"} << "missing argument";
    }

    void reportsErrorsOnOneLine() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, error);
        for (QString& argument : arguments) argument.replace("@", dir_.path());
        const Run run = cli(arguments);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.startsWith("error: ") && run.err.count('\n') == 1, qPrintable(run.err));
        QVERIFY2(run.err.contains(error), qPrintable(run.err));
        QVERIFY(run.out.isEmpty());
        QVERIFY2(!QFile::exists(dir_.path() + "/fresh/lucent.db"), "a failed import created a database");
        QVERIFY(!QFile::exists(dir_.path() + "/none/lucent.db"));
    }
};

QTEST_GUILESS_MAIN(TestStorageCli)
#include "tst_storage_cli.moc"
