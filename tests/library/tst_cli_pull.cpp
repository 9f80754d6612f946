// lucent-cli pull as a user runs it, against a private nginx: --json output, a second pull finds the
// model present, bad --sha256, a wrong checksum, and Ctrl+C leaving a partial the next run resumes.
#include "NginxServer.h"
#include "app/library/HashingFileWriter.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out, err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

Run pull(const QStringList& arguments) {
    QProcess process;
    process.start(LUCENT_CLI_PATH, QStringList{"pull"} + arguments);
    process.waitForFinished(60000);
    return Run{process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

} // namespace

class TestCliPull : public QObject {
    Q_OBJECT
    QTemporaryDir root_;
    std::unique_ptr<NginxServer> server_;
    QString sha_;
    qint64 size_ = 0;

private slots:
    void initTestCase() {
        // Any bytes do: pull does not read the model, and random bytes make a wrong resume visible.
        QFile file(root_.filePath("m.gguf"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray bytes(4'000'000, Qt::Uninitialized);
        for (qsizetype i = 0; i < bytes.size(); ++i) bytes[i] = char((i * 2654435761u) >> 13);
        file.write(bytes);
        file.close();
        size_ = bytes.size();
        sha_ = lucent::library::sha256OfFile(file.fileName());
        server_ = std::make_unique<NginxServer>(root_.path());
        QString error;
        QVERIFY2(server_->start(error), qPrintable(error));
    }

    void jsonThenAlreadyPresent() {
        QTemporaryDir dir;
        const Run first = pull({server_->url("/redirect/m.gguf"), "--dir", dir.path(), "--sha256", sha_.toUpper(), "--json"});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QJsonObject json = first.json();
        QCOMPARE(json.keys(), QStringList({"bytes", "path", "resumed", "sha256"}));
        QCOMPARE(json["path"].toString(), dir.filePath("m.gguf"));
        QCOMPARE(qint64(json["bytes"].toDouble()), size_);
        QCOMPARE(json["sha256"].toString(), sha_);
        QCOMPARE(json["resumed"].toBool(), false);
        const Run second = pull({server_->url("/files/m.gguf"), "--dir", dir.path()});
        QCOMPARE(second.exitCode, 0);
        QVERIFY2(second.out.startsWith("Already present: " + dir.filePath("m.gguf").toUtf8()), second.out.constData());
    }

    void errors_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("malformed hash") << QStringList{"--sha256", "xyz"} << "error: --sha256 needs 64 hexadecimal digits";
        QTest::newRow("wrong hash") << QStringList{"--sha256", QString(64, 'f')} << "does not match its checksum";
        QTest::newRow("bad timeout") << QStringList{"--timeout", "0"} << "error: --timeout takes seconds";
    }
    void errors() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const Run run = pull(QStringList{server_->url("/files/m.gguf"), "--dir", dir.path()} + arguments);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QCOMPARE(run.err.count('\n'), 1);
        QVERIFY(!QFileInfo::exists(dir.filePath("m.gguf")));
    }

    void unknownCatalogId() {
        const Run run = pull({"no-such-model"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("neither a catalog id"), run.err.constData());
    }

    void ctrlCLeavesAResumablePartial() {
        QTemporaryDir dir;
        const QStringList arguments{server_->url("/throttled/m.gguf"), "--dir", dir.path(), "--json"};
        QProcess process;
        process.start(LUCENT_CLI_PATH, QStringList{"pull"} + arguments);
        QVERIFY(process.waitForStarted());
        const QString partial = dir.filePath("m.gguf.partial");
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(partial).size() > 500'000, 10000);
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 130);
        QVERIFY(process.readAllStandardError().contains("run the same command again to resume"));
        const qint64 kept = QFileInfo(partial).size();
        QVERIFY(kept > 0 && kept < size_);
        QVERIFY(!QFileInfo::exists(dir.filePath("m.gguf")));

        const Run resumed = pull(arguments);
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QCOMPARE(resumed.json()["resumed"].toBool(), true);
        QCOMPARE(resumed.json()["sha256"].toString(), sha_);
        QVERIFY(server_->accessLog().contains(QStringLiteral("range=bytes=%1-").arg(kept)));
    }
};

QTEST_MAIN(TestCliPull)
#include "tst_cli_pull.moc"
