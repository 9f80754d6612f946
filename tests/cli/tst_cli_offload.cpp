// lucent-cli with a model split between lavapipe (picked with --device like a user would) and the
// CPU: --gpu-layers N gives the CPU backend's logits within tst_vulkan_model's bounds and its greedy
// tokens, bench reports the split ("gpuLayers", the device words), --vram-budget picks the split,
// and a split that cannot be is one `error:` line.
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

class TestCliOffload : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString device_; // lavapipe's index in `lucent-cli devices`

    /// A 4-layer model that generate can tokenize.
    QString model(const QString& type) {
        const QString path = dir_.filePath(type + ".gguf");
        if (QFile::exists(path)) return path;
        TestModelSpec spec;
        spec.type = type.toStdString();
        spec.nLayer = 4;
        spec.nEmbd = 256, spec.nHead = 4, spec.nHeadKv = 2, spec.nFf = 512;
        GgufVocab vocab = syntheticVocab(600);
        vocab.tokens[3] = "t", vocab.tokens[4] = "o", vocab.tokens[5] = "to";
        vocab.merges = {"t o"};
        auto written = writeModel(spec, path.toStdString(), vocab);
        if (!written) qFatal("%s", written.error().message.c_str());
        return path;
    }

    QJsonObject run(const QStringList& arguments) {
        const CliResult result = runCli(arguments, 120000);
        if (result.exitCode != 0) qWarning("%s: exit %d, %s", qPrintable(arguments.join(' ')), result.exitCode, result.err.constData());
        return result.json();
    }

    QStringList onLavapipe(const QString& layers) const { return {"--backend", "vulkan", "--device", device_, "--gpu-layers", layers}; }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QJsonArray devices = runCli({"devices", "--json"}).json()["devices"].toArray();
        for (const auto& d : devices)
            if (d.toObject()["type"].toString() == "cpu") device_ = QString::number(d.toObject()["index"].toInt());
        if (device_.isEmpty()) QSKIP("no lavapipe (mesa-vulkan-drivers) device");
    }

    void logitsEqualTheCpu_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("layers");
        QTest::addColumn<double>("nmse");
        // tst_hybrid_model's bounds for 4-layer models
        QTest::newRow("F32, 2 layers on the GPU") << "F32" << "2" << 2e-8;
        QTest::newRow("Q8_0, 1 layer on the GPU") << "Q8_0" << "1" << 5e-3;
        QTest::newRow("Q4_K_M, 3 layers on the GPU") << "Q4_K_M" << "3" << 5e-3;
    }
    void logitsEqualTheCpu() {
        QFETCH(QString, type);
        QFETCH(QString, layers);
        QFETCH(double, nmse);
        const QStringList common{"logits", model(type), "--tokens", "1,17,250,3,99,42,7,512,8", "--top", "600", "--json"};
        const auto cpu = logitsById(run(common + QStringList{"--backend", "cpu"}));
        const auto split = logitsById(run(common + onLavapipe(layers)));
        QCOMPARE(cpu.size(), size_t(600));
        QCOMPARE(split.size(), size_t(600));
        double squaredDifference = 0.0, squared = 0.0;
        for (const auto& [id, logit] : cpu) {
            squaredDifference += (split.at(id) - logit) * (split.at(id) - logit);
            squared += logit * logit;
        }
        qInfo("NMSE split vs cpu: %.3g", squaredDifference / squared);
        QVERIFY(squaredDifference / squared < nmse);
    }

    void greedyGenerationEqualsTheCpu() {
        const QStringList common{"generate", model("F32"), "--tokens", "1,5,9,300,41", "--greedy", "-n", "20", "--ctx", "64", "--json"};
        const QJsonObject cpu = run(common + QStringList{"--backend", "cpu"});
        const QJsonObject split = run(common + onLavapipe("2"));
        QVERIFY(!tokensOf(cpu).isEmpty());
        qInfo("%lld greedy tokens compared", qint64(tokensOf(cpu).size()));
        QCOMPARE(tokensOf(split), tokensOf(cpu));
    }

    void benchReportsTheSplit() {
        const QJsonObject split =
            run(QStringList{"bench", model("F32"), "-p", "16", "-n", "4", "-r", "1", "--threads", "1", "--json"} + onLavapipe("2"));
        QCOMPARE(split["backend"].toString(), QString("vulkan"));
        QCOMPARE(split["gpuLayers"].toInt(-1), 2);
        QCOMPARE(split["device"].toString(), QString("llvmpipe (Vulkan, CPU) — 2 of 4 layers, rest on CPU (1 threads)"));
        QVERIFY(split["pp"]["tps"].toDouble() > 0);
        QVERIFY(split["tg"]["tps"].toDouble() > 0);
        // auto: the whole model fits lavapipe
        const QJsonObject whole = run({"bench", model("F32"), "-p", "8", "-n", "2", "-r", "1", "--backend", "vulkan", "--device", device_, "--json"});
        QCOMPARE(whole["gpuLayers"].toInt(-1), 4);
        QCOMPARE(whole["device"].toString(), QString("llvmpipe (Vulkan, CPU)"));
        const QJsonObject cpu = run({"bench", model("F32"), "-p", "8", "-n", "2", "-r", "1", "--threads", "1", "--json"});
        QCOMPARE(cpu["gpuLayers"].toInt(-1), 0);
    }

    // --vram-budget: the split follows the budget (layers of ~2.3 MiB and ~1.3 MiB shared: 5 MiB holds
    // some of the 4 layers but not all, 9 MiB more, 100 KiB not one, so the CPU runs it).
    void budgetPicksTheSplit() {
        const QStringList common{"bench", model("F32"), "-p", "4", "-n", "1", "-r", "1", "--threads", "1", "--ctx", "64", "--backend", "vulkan",
                                 "--device", device_, "--json"};
        const QJsonObject some = run(common + QStringList{"--vram-budget", "5M"});
        const int layers = some["gpuLayers"].toInt(-1);
        qInfo("5 MiB: %s", qPrintable(some["device"].toString()));
        QVERIFY(layers >= 1 && layers <= 3);
        QVERIFY(some["device"].toString().contains(QString("%1 of 4 layers").arg(layers)));
        const QJsonObject more = run(common + QStringList{"--vram-budget", "9MiB"});
        qInfo("9 MiB: %s", qPrintable(more["device"].toString()));
        QVERIFY(more["gpuLayers"].toInt(-1) > layers);
        const QJsonObject none = run(common + QStringList{"--vram-budget", "100K"});
        QCOMPARE(none["gpuLayers"].toInt(-1), 0);
        QCOMPARE(none["backend"].toString(), QString("cpu"));
    }

    void impossibleSplitIsOneErrorLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("more layers than fit the budget")
            << QStringList{"logits", "@model", "--tokens", "1", "--backend", "vulkan", "--device", "@lavapipe", "--gpu-layers", "4",
                           "--vram-budget", "5M"}
            << "fit. Choose fewer GPU layers";
        QTest::newRow("not even one layer fits the budget")
            << QStringList{"logits", "@model", "--tokens", "1", "--backend", "vulkan", "--device", "@lavapipe", "--gpu-layers", "1",
                           "--vram-budget", "1M"}
            << "not even one layer fits";
        QTest::newRow("more layers than the model has")
            << QStringList{"generate", "@model", "--tokens", "1", "--backend", "vulkan", "--device", "@lavapipe", "--gpu-layers", "9"}
            << "This model has 4 layers";
        QTest::newRow("--gpu-layers on the CPU") << QStringList{"bench", "@model", "--gpu-layers", "2"} << "--gpu-layers";
        QTest::newRow("--gpu-layers not a number")
            << QStringList{"logits", "@model", "--tokens", "1", "--backend", "vulkan", "--gpu-layers", "most"} << "--gpu-layers";
        QTest::newRow("--vram-budget not a size")
            << QStringList{"logits", "@model", "--tokens", "1", "--backend", "vulkan", "--vram-budget", "lots"} << "--vram-budget";
    }
    void impossibleSplitIsOneErrorLine() {
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

QTEST_GUILESS_MAIN(TestCliOffload)
#include "tst_cli_offload.moc"
