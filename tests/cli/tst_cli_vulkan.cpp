// lucent-cli's engine commands on the Vulkan backend (lavapipe here, picked with --device like a
// user would): logits equal the CPU backend's within the tolerances tst_vulkan_model uses, greedy
// generation gives the CPU's tokens, bench reports the device, and a bad device is one `error:` line.
#include "CliRunner.h"
#include "ModelFixtures.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace lucent;
using namespace lucent::testing;

namespace {

std::map<int, double> logitsById(const QJsonObject& json) {
    std::map<int, double> logits;
    for (const auto& entry : json["top"].toArray()) logits[entry.toObject()["id"].toInt()] = entry.toObject()["logit"].toDouble();
    return logits;
}

QList<int> tokensOf(const QJsonObject& json) {
    QList<int> ids;
    for (const auto& value : json["tokens"].toArray()) ids << value.toInt(-1);
    return ids;
}

} // namespace

class TestCliVulkan : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString device_; // lavapipe's index in `lucent-cli devices`
    int deviceCount_ = 0;

    QString model(const QString& type) {
        const QString path = dir_.filePath(type + ".gguf");
        if (QFile::exists(path)) return path;
        TestModelSpec spec;
        spec.type = type.toStdString();
        spec.nEmbd = 256, spec.nHead = 4, spec.nHeadKv = 2, spec.nFf = 512;
        GgufVocab vocab = syntheticVocab(600);
        vocab.tokens[3] = "t", vocab.tokens[4] = "o", vocab.tokens[5] = "to";
        vocab.merges = {"t o"}; // generate loads the tokenizer, and a BPE one needs merges
        auto written = writeModel(spec, path.toStdString(), vocab);
        if (!written) qFatal("%s", written.error().message.c_str());
        return path;
    }

    QJsonObject run(const QStringList& arguments) {
        const CliResult result = runCli(arguments, 120000);
        if (result.exitCode != 0) qWarning("%s: exit %d, %s", qPrintable(arguments.join(' ')), result.exitCode, result.err.constData());
        return result.json();
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QJsonArray devices = runCli({"devices", "--json"}).json()["devices"].toArray();
        deviceCount_ = int(devices.size());
        for (const auto& d : devices)
            if (d.toObject()["type"].toString() == "cpu") device_ = QString::number(d.toObject()["index"].toInt());
        if (device_.isEmpty()) QSKIP("no lavapipe (mesa-vulkan-drivers) device");
    }

    void logitsEqualTheCpu_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("kvCache");
        QTest::addColumn<double>("nmse");
        // tst_vulkan_model's bounds: fp32 on both for float weights; for quantized ones the CPU
        // rounds activations to 8-bit blocks, the GPU keeps them in fp32; the 8-bit KV cache costs
        // ~1e-5 (tst_vulkan_model measures it)
        QTest::newRow("F32") << "F32" << "f16" << 1e-8;
        QTest::newRow("Q8_0") << "Q8_0" << "f16" << 5e-3;
        QTest::newRow("Q4_K_M") << "Q4_K_M" << "f16" << 5e-3;
        QTest::newRow("F32, 8-bit KV cache") << "F32" << "q8_0" << 1e-3;
    }
    void logitsEqualTheCpu() {
        QFETCH(QString, type);
        QFETCH(QString, kvCache);
        QFETCH(double, nmse);
        const QStringList common{"logits", model(type), "--tokens", "1,17,250,3,99,42,7,512,8", "--top", "600", "--json"};
        const auto cpu = logitsById(run(common + QStringList{"--backend", "cpu"}));
        const auto gpu = logitsById(run(common + QStringList{"--backend", "vulkan", "--device", device_, "--kv-cache", kvCache}));
        QCOMPARE(cpu.size(), size_t(600));
        QCOMPARE(gpu.size(), size_t(600));
        double squaredDifference = 0.0, squared = 0.0;
        size_t both = 0; // the 600th place may differ where the logits are not identical
        for (const auto& [id, logit] : cpu) {
            const auto found = gpu.find(id);
            if (found == gpu.end()) continue;
            ++both;
            squaredDifference += (found->second - logit) * (found->second - logit);
            squared += logit * logit;
        }
        qInfo("NMSE vulkan vs cpu: %.3g over %zu shared top logits", squaredDifference / squared, both);
        QVERIFY(both >= 595);
        QVERIFY(squaredDifference / squared < nmse);
    }

    void greedyGenerationEqualsTheCpu() {
        const QStringList common{"generate", model("F32"), "--tokens", "1,5,9,300,41", "--greedy", "-n", "20", "--ctx", "64", "--json"};
        const QJsonObject cpu = run(common + QStringList{"--backend", "cpu"});
        const QJsonObject gpu = run(common + QStringList{"--backend", "vulkan", "--device", device_});
        QVERIFY(!tokensOf(cpu).isEmpty());
        qInfo("%lld greedy tokens compared", qint64(tokensOf(cpu).size()));
        QCOMPARE(tokensOf(gpu), tokensOf(cpu));
    }

    void benchNamesTheDevice() {
        const QJsonObject json = run({"bench", model("F32"), "-p", "40", "-n", "4", "-r", "1", "--backend", "vulkan", "--device", device_, "--json"});
        QCOMPARE(json["backend"].toString(), QString("vulkan"));
        QCOMPARE(json["device"].toString(), QString("llvmpipe (Vulkan, CPU)"));
        QVERIFY(json["pp"]["tps"].toDouble() > 0);
        QVERIFY(json["tg"]["tps"].toDouble() > 0);
        const QJsonObject cpu = run({"bench", model("F32"), "-p", "8", "-n", "2", "-r", "1", "--threads", "1", "--json"});
        QCOMPARE(cpu["backend"].toString(), QString("cpu"));
        QCOMPARE(cpu["device"].toString(), QString("CPU (1 threads)"));
        // auto never picks lavapipe: with no GPU here it is the CPU
        const QJsonObject automatic = run({"bench", model("F32"), "-p", "8", "-n", "2", "-r", "1", "--backend", "auto", "--json"});
        QCOMPARE(automatic["backend"].toString(), deviceCount_ > 1 ? QString("vulkan") : QString("cpu"));
    }

    // -d: tg after a filled context (a long reasoning trace), on both backends; the context the model
    // is opened with covers depth + n, and a context past the device's limits is one error line
    void benchAfterAFilledContext() {
        for (const QString& backend : {QString("vulkan"), QString("cpu")}) {
            QStringList args{"bench", model("Q8_0"), "-p", "0", "-n", "3", "-d", "600", "-r", "1", "--backend", backend, "--json"};
            if (backend == "vulkan") args << "--device" << device_;
            const QJsonObject json = run(args);
            QCOMPARE(json["backend"].toString(), backend);
            QCOMPARE(json["tg"]["depth"].toInt(), 600);
            QCOMPARE(json["tg"]["tokens"].toInt(), 3);
            QVERIFY(json["tg"]["tps"].toDouble() > 0);
            QVERIFY(!json.contains("pp"));
        }
        const CliResult tooDeep = runCli({"bench", model("Q8_0"), "-p", "0", "-n", "3", "-d", "-5", "--json"}, 60000);
        QVERIFY(tooDeep.exitCode != 0);
        QVERIFY2(QString::fromUtf8(tooDeep.err).startsWith("error: "), tooDeep.err.constData());
    }

    void badDeviceIsOneErrorLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("logits, index past the list") << QStringList{"logits", "@model", "--tokens", "1", "--backend", "vulkan", "--device", "9"}
                                                     << "no Vulkan device 9";
        QTest::newRow("bench, index past the list") << QStringList{"bench", "@model", "--backend", "vulkan", "--device", "9"} << "no Vulkan device 9";
        QTest::newRow("generate, negative index") << QStringList{"generate", "@model", "--tokens", "1", "--backend", "vulkan", "--device", "-1"}
                                                  << "--device";
        QTest::newRow("logits, --device on cpu") << QStringList{"logits", "@model", "--tokens", "1", "--device", "0"} << "--device";
        QTest::newRow("bench, unknown backend") << QStringList{"bench", "@model", "--backend", "cuda"} << "cuda";
        QTest::newRow("logits, unknown KV cache type") << QStringList{"logits", "@model", "--tokens", "1", "--backend", "vulkan", "--kv-cache", "q4"}
                                                      << "--kv-cache takes f16 or q8_0";
        QTest::newRow("bench, 8-bit KV cache on the CPU backend") << QStringList{"bench", "@model", "--kv-cache", "q8_0"} << "--backend vulkan";
        QTest::newRow("logits, context past the device's binding limit")
            << QStringList{"logits", "@model", "--tokens", "1", "--backend", "vulkan", "--device", "@lavapipe", "--ctx", "16000000"} << "context";
    }
    void badDeviceIsOneErrorLine() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        args.replaceInStrings("@model", model("F32"));
        args.replaceInStrings("@lavapipe", device_);
        const CliResult result = runCli(args + QStringList{"--json"}, 60000);
        QVERIFY(result.exitCode != 0);
        QVERIFY(result.out.isEmpty());
        const QString err = QString::fromUtf8(result.err).trimmed();
        QVERIFY2(err.startsWith("error: ") && !err.contains('\n'), qPrintable(err));
        QVERIFY2(err.contains(mentions), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestCliVulkan)
#include "tst_cli_vulkan.moc"
