// lucent-cli devices, run as a user runs it: lavapipe is listed, the JSON has DESIGN.md's shape.
#include "tests/cli/CliRunner.h"

#include <QJsonArray>
#include <QTest>

class TestCliDevices : public QObject {
    Q_OBJECT
private slots:
    void listsDevicesAsJson() {
        const CliResult result = runCli({"devices", "--json"});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject json = result.json();
        QCOMPARE(json.keys(), QStringList{"devices"});
        const QJsonArray devices = json["devices"].toArray();
        QVERIFY(!devices.isEmpty());
        bool sawLavapipe = false;
        for (int i = 0; i < devices.size(); ++i) {
            const QJsonObject device = devices[i].toObject();
            QCOMPARE(device.keys(), (QStringList{"index", "name", "type", "vram_bytes"}));
            QCOMPARE(device["index"].toInt(-1), i);
            QVERIFY(!device["name"].toString().isEmpty());
            QVERIFY(QStringList({"discrete", "integrated", "virtual", "cpu", "other"}).contains(device["type"].toString()));
            QVERIFY(device["vram_bytes"].toDouble() > 0);
            if (device["name"].toString().startsWith("llvmpipe")) {
                sawLavapipe = true;
                QCOMPARE(device["type"].toString(), QString("cpu"));
            }
        }
        QVERIFY(sawLavapipe);
    }

    void listsDevicesAsText() {
        const CliResult result = runCli({"devices"});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("llvmpipe"));
        QVERIFY(result.out.contains("* = used by default"));
        QVERIFY(result.err.isEmpty());
    }

    void rejectsArguments() {
        const CliResult result = runCli({"devices", "extra"});
        QCOMPARE(result.exitCode, 1);
        QVERIFY(result.err.startsWith("error: "));
    }
};

QTEST_GUILESS_MAIN(TestCliDevices)
#include "tst_cli_devices.moc"
