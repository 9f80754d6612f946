// Parity with llama.cpp's Vulkan build: the models of tests/vulkan/data/llama_parity_vulkan.json
// (node-llama-cpp's prebuilt Vulkan llama.cpp on the same device kind, every layer offloaded;
// tests/reference/gen-llama-reference.mjs --gpu vulkan) are rebuilt in-process and run on Lucent's
// Vulkan backend; llama.cpp's top-10 logits after prompt positions up to 1,099 and along its
// 32-token greedy continuation must match, and so must the greedy tokens wherever llama.cpp's
// choice is clear. Cases the Vulkan data lacks are compared with llama.cpp's CPU data
// (tests/model/data/llama_parity.json) instead.
//
// lavapipe runs a case in ~3 minutes on a shared 2-core machine, so by default one case per
// architecture and weight family runs (float, 8-bit, legacy 4-bit, K-quant mix, tied head);
// LUCENT_PARITY_ALL=1 runs all 19; LUCENT_PARITY_CASE="<name>" runs just that one (CTest runs two
// cases this way, each in its own process).
//
// Tolerances (scaled by max(1, |logit|/4) as in tst_llama_parity), from what separates the two:
//  - Float weights: llama.cpp's Vulkan matrix kernels round the activations to fp16 for the
//    prompt's mat-muls (its CPU build does the same for F16/BF16 weights), Lucent keeps fp32; both
//    keep K and V in fp16. That is the CPU comparison's situation: 0.02.
//  - Quantized weights: llama.cpp's Vulkan build dequantizes to fp16/fp32 and multiplies fp16 or
//    fp32 activations (its CPU build quantizes them to 8 bits, hence 0.12 there); Lucent uses fp32.
//    The same 0.12 is kept so one bound covers both data files; the measured worst is printed.
//  - The prompt runs in Lucent's batches (tiled mat-muls, batched causal attention) ending at the
//    recorded checkpoints, the continuation token by token (mat-vec kernels): both paths are checked.
#include "HfTokenizerFiles.h"
#include "TestModel.h"
#include "inference/vulkan/VulkanModel.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <map>

using namespace lucent;
using namespace lucent::testing;

namespace {

const QString kSourceDir = QStringLiteral(LUCENT_SOURCE_DIR);

struct Reference {
    std::vector<std::pair<int32_t, float>> top; // llama.cpp's top-10, best first
};

Reference readTop(const QJsonArray& array) {
    Reference r;
    for (const auto& entry : array) r.top.push_back({int32_t(entry.toArray()[0].toInt()), float(entry.toArray()[1].toDouble())});
    return r;
}

int32_t argmax(const std::vector<float>& logits) { return int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin()); }

bool isFloatType(const QString& type) { return type == "F32" || type == "F16" || type == "BF16"; }

} // namespace

class TestVulkanLlamaParity : public QObject {
    Q_OBJECT
    QJsonArray cases_;
    QTemporaryDir dir_;
    std::map<QString, GgufVocab> vocabularies_; // parsed once per vocabulary: tokenizer.json is large

private slots:
    void initTestCase() {
        QFile cpuFile(kSourceDir + "/tests/model/data/llama_parity.json");
        QVERIFY(cpuFile.open(QIODevice::ReadOnly));
        const QJsonArray cpuCases = QJsonDocument::fromJson(cpuFile.readAll()).object()["cases"].toArray();
        QVERIFY(cpuCases.size() >= 19);
        QJsonArray vulkanCases;
        QFile vulkanFile(kSourceDir + "/tests/vulkan/data/llama_parity_vulkan.json");
        if (vulkanFile.open(QIODevice::ReadOnly)) {
            const QJsonObject data = QJsonDocument::fromJson(vulkanFile.readAll()).object();
            vulkanCases = data["cases"].toArray();
            qInfo("reference: %s, %lld cases", qPrintable(data["llamaCpp"].toString()), qint64(vulkanCases.size()));
        }
        QVERIFY2(!vulkanCases.isEmpty(), "tests/vulkan/data/llama_parity_vulkan.json is missing or empty");
        const QStringList representative{"qwen2 Q8_0 gqa6", "qwen2 Q4_0 gqa6", "qwen3 BF16 gqa7", "llama F32 gqa7", "llama Q4_K_M gqa7 tied"};
        const bool all = qEnvironmentVariableIntValue("LUCENT_PARITY_ALL") == 1;
        const QString only = qEnvironmentVariable("LUCENT_PARITY_CASE"); // one case per process (CTest)
        for (const auto& c : cpuCases) {
            QJsonObject chosen = c.toObject();
            if (!only.isEmpty() ? chosen["name"].toString() != only : !all && !representative.contains(chosen["name"].toString())) continue;
            chosen["reference"] = QString("llama.cpp CPU");
            for (const auto& v : vulkanCases)
                if (v.toObject()["name"] == chosen["name"]) {
                    chosen = v.toObject();
                    chosen["reference"] = QString("llama.cpp Vulkan");
                }
            cases_.append(chosen);
        }
        QVERIFY2(!cases_.isEmpty(), qPrintable("no parity case is named '" + only + "'"));
        QVERIFY(dir_.isValid());
    }

    void matchesLlamaCpp_data() {
        QTest::addColumn<int>("index");
        for (int i = 0; i < cases_.size(); ++i) {
            const QJsonObject c = cases_[i].toObject();
            QTest::newRow(qPrintable(c["name"].toString() + " vs " + c["reference"].toString())) << i;
        }
    }
    void matchesLlamaCpp() {
        QFETCH(int, index);
        const QJsonObject c = cases_[index].toObject();
        const QString type = c["type"].toString();
        const float tolerance = isFloatType(type) ? 0.02f : 0.12f;

        // The model, exactly as gen-llama-reference.mjs had lucent-make-test-model write it.
        const QString tokenizerDir = kSourceDir + "/" + c["tokenizer"].toString();
        if (!QDir(tokenizerDir).exists()) QSKIP("npm reference packages missing: run scripts/install-reference.sh");
        HfTokenizerOptions vocabOptions;
        if (!c["addedTokens"].toString().isEmpty()) vocabOptions.addedTokensFile = kSourceDir + "/" + c["addedTokens"].toString();
        vocabOptions.pre = c["pre"].toString().toStdString();
        vocabOptions.vocabPad = c["vocabPad"].toInt();
        const QString vocabName = c["vocab"].toString();
        if (!vocabularies_.count(vocabName)) {
            QString error;
            auto read = readHfTokenizer(tokenizerDir, vocabOptions, error);
            QVERIFY2(read, qPrintable(error));
            vocabularies_[vocabName] = std::move(*read);
        }
        const GgufVocab* vocab = &vocabularies_[vocabName];
        TestModelSpec spec;
        spec.arch = c["arch"].toString().toStdString();
        spec.type = type.toStdString();
        spec.nEmbd = uint32_t(c["nEmbd"].toInt());
        spec.nHead = uint32_t(c["nHead"].toInt());
        spec.nHeadKv = uint32_t(c["nHeadKv"].toInt());
        spec.headDim = uint32_t(c["headDim"].toInt());
        spec.nFf = uint32_t(c["nFf"].toInt());
        spec.nLayer = uint32_t(c["nLayer"].toInt());
        spec.tied = c["tied"].toBool();
        spec.ropeFreqs = c["ropeFreqs"].toBool();
        spec.seed = uint64_t(c["seed"].toInt());
        const std::string path = (dir_.path() + "/model.gguf").toStdString();
        auto written = writeTestModel(spec, *vocab, path);
        QVERIFY2(written, written ? "" : written.error().message.c_str());
        vk::VulkanModelOptions options;
        options.contextLength = 2048;
        auto model = vk::VulkanModel::open(path, options);
        QVERIFY2(model, model ? "" : model.error().message.c_str());
        vk::VulkanModel& m = **model;
        QCOMPARE(m.config().gqaRatio(), uint32_t(c["nHead"].toInt() / c["nHeadKv"].toInt()));

        std::vector<float> logits(m.config().nVocab);
        float worst = 0.0f;
        auto compare = [&](const Reference& ref, const QString& where) {
            for (const auto& [id, expected] : ref.top) {
                const float difference = std::abs(logits[size_t(id)] - expected) / std::max(1.0f, std::abs(expected) / 4.0f);
                worst = std::max(worst, difference);
                if (difference > tolerance)
                    return QString("%1: logit of token %2 is %3, llama.cpp %4").arg(where).arg(id).arg(logits[size_t(id)]).arg(expected);
            }
            return QString();
        };
        // Greedy identity: our argmax must be llama.cpp's choice unless its top-2 gap is within rounding.
        int clearChoices = 0;
        auto checkChoice = [&](const Reference& ref, int32_t llamaChoice, const QString& where) {
            const float gap = ref.top[0].second - ref.top[1].second;
            if (gap <= tolerance * std::max(1.0f, std::abs(ref.top[0].second) / 4.0f)) return QString();
            ++clearChoices;
            const int32_t ours = argmax(logits);
            return ours == llamaChoice ? QString() : QString("%1: greedy token %2, llama.cpp %3 (its top-2 gap %4)").arg(where).arg(ours).arg(llamaChoice).arg(gap);
        };

        // The prompt in pieces that end at the recorded checkpoints (the last one past position 1,000).
        std::vector<int32_t> prompt;
        for (const auto& t : c["prompt"].toArray()) prompt.push_back(int32_t(t.toInt()));
        int done = 0;
        for (const auto& pointValue : c["checkpoints"].toArray()) {
            const QJsonObject point = pointValue.toObject();
            const int until = point["tokens"].toInt();
            auto evaluated = m.eval(std::span(prompt).subspan(size_t(done), size_t(until - done)), done, logits.data());
            QVERIFY2(evaluated, evaluated ? "" : evaluated.error().message.c_str());
            done = until;
            const QString problem = compare(readTop(point["top"].toArray()), QString("after %1 prompt tokens").arg(until));
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
        // llama.cpp's greedy continuation, fed token by token.
        const QJsonArray greedy = c["greedy"].toArray();
        const Reference promptEnd = readTop(c["checkpoints"].toArray().last().toObject()["top"].toArray());
        QString problem = checkChoice(promptEnd, int32_t(greedy[0].toObject()["token"].toInt()), "after the prompt");
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        for (int i = 0; i < greedy.size(); ++i) {
            const QJsonObject step = greedy[i].toObject();
            const int32_t token = int32_t(step["token"].toInt());
            auto evaluated = m.eval(std::span(&token, 1), done++, logits.data());
            QVERIFY2(evaluated, evaluated ? "" : evaluated.error().message.c_str());
            const Reference ref = readTop(step["top"].toArray());
            problem = compare(ref, QString("greedy step %1").arg(i));
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            if (i + 1 < greedy.size()) {
                problem = checkChoice(ref, int32_t(greedy[i + 1].toObject()["token"].toInt()), QString("greedy step %1").arg(i));
                QVERIFY2(problem.isEmpty(), qPrintable(problem));
            }
        }
        qInfo("%s vs %s: largest scaled logit difference %.5f (tolerance %.2f), %d of 32 greedy choices clear",
              qPrintable(c["name"].toString()), qPrintable(c["reference"].toString()), double(worst), double(tolerance), clearChoices);
        QFile::remove(QString::fromStdString(path));
    }
};

QTEST_GUILESS_MAIN(TestVulkanLlamaParity)
#include "tst_vulkan_llama_parity.moc"
