// The lucent-cli contract (DESIGN.md) for the parts that need no model: version, help, bad input.
#include "CliRunner.h"

#include <QTest>

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void versionPrintsLucentAndSemver() {
        const auto result = runCli({"--version"});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(QRegularExpression("^lucent \\d+\\.\\d+\\.\\d+\\n$").match(QString(result.out)).hasMatch(),
                 result.out.constData());
    }

    void badInputIsOneErrorLineAndNonZeroExit_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("unknown command") << QStringList{"frobnicate"};
        QTest::newRow("unknown option") << QStringList{"version", "--frob"};
    }
    void badInputIsOneErrorLineAndNonZeroExit() {
        QFETCH(QStringList, arguments);
        const auto result = runCli(arguments);
        QVERIFY(result.exitCode != 0);
        QVERIFY(result.out.isEmpty());
        QVERIFY2(result.err.startsWith("error: "), result.err.constData());
        QCOMPARE(result.err.count('\n'), 1);
    }

    void noArgumentsPrintsUsageAndFails() {
        const auto result = runCli({});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("usage: lucent-cli"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
