// Many models one after another in ONE process, as the app does when the user switches models and
// as tst_vulkan_llama_parity does (a lavapipe crash was seen there once, in November; all 19 cases
// in one process have run clean since):
// every shape and weight type of the llama.cpp parity set (real vocabularies, context 2048) is
// loaded, run through a prompt in several batches and a few single tokens, compared with the CPU
// backend, and released before the next one loads; at the end the first model runs again and must
// give bit-identical logits — nothing an earlier device left behind may change a later one.
//
// The prompts are short (the parity test runs the long ones), so the whole sequence takes about a
// minute on lavapipe, and it is the case to loop or run under valgrind when hunting lifetime bugs:
//   LUCENT_SEQUENCE_CASES="qwen2 Q8_0 gqa6,llama F32 gqa7" valgrind build/tests/vulkan/tst_vulkan_model_sequence
#include "LlamaParity.h"
#include "inference/cpu/CpuModel.h"
#include "inference/vulkan/VulkanModel.h"
#include "tests/vulkan/VulkanTestSupport.h"

#include <QTemporaryDir>
#include <QTest>
#include <cstring>

using namespace lucent;
using namespace lucent::testing;

namespace {

constexpr uint32_t kContext = 2048;   // as in the parity test: the KV cache is part of what is freed
constexpr uint32_t kMaxBatch = 16;    // the 40-token prompt runs as 16 + 16 + 8
constexpr size_t kPromptTokens = 40;
constexpr size_t kSingleTokens = 3;

/// The logits after the prompt and after each single token, in order.
using LogitTrace = std::vector<std::vector<float>>;

Expected<LogitTrace> run(Backend& model, const std::vector<int32_t>& tokens) {
    // The prompt in batches of kMaxBatch, then the rest one token at a time (the mat-vec path).
    // Fixed tokens, not each engine's argmax: with random weights near-ties are common, and
    // diverging choices would compare different continuations.
    const std::span prompt = std::span(tokens).first(kPromptTokens);
    LogitTrace trace;
    std::vector<float> logits(model.config().nVocab);
    if (auto done = model.eval(prompt, 0, logits.data()); !done) return fail(done.error());
    trace.push_back(logits);
    for (size_t pos = kPromptTokens; pos < tokens.size(); ++pos) {
        if (auto done = model.eval(std::span(tokens).subspan(pos, 1), int(pos), logits.data()); !done) return fail(done.error());
        trace.push_back(logits);
    }
    return trace;
}

} // namespace

class TestVulkanModelSequence : public QObject {
    Q_OBJECT
    QJsonArray cases_;
    QTemporaryDir dir_;
    ParityModelWriter writer_;
    LogitTrace firstTrace_;
    QJsonObject firstCase_;

    Expected<LogitTrace> runOnVulkan(const QJsonObject& c) {
        const std::string path = (dir_.path() + "/model.gguf").toStdString();
        if (auto written = writer_.write(c, path); !written) return fail(written.error());
        vk::VulkanModelOptions options;
        options.contextLength = kContext;
        options.maxBatch = kMaxBatch;
        options.device.instance.validation = true;
        auto model = vk::VulkanModel::open(path, options);
        if (!model) return fail(model.error());
        auto trace = run(**model, tokensOf(c));
        if (const int errors = (*model)->context().validationErrors(); errors > 0)
            return fail("The validation layer reported " + std::to_string(errors) + " errors.");
        return trace;
    }

    static std::vector<int32_t> tokensOf(const QJsonObject& c) {
        std::vector<int32_t> prompt;
        for (const auto& t : c["prompt"].toArray())
            if (prompt.size() < kPromptTokens + kSingleTokens) prompt.push_back(int32_t(t.toInt()));
        return prompt;
    }

private slots:
    void initTestCase() {
        auto cases = readParityCases(QStringLiteral(LUCENT_SOURCE_DIR) + "/tests/model/data/llama_parity.json");
        QVERIFY2(cases, cases ? "" : cases.error().message.c_str());
        const QString only = qEnvironmentVariable("LUCENT_SEQUENCE_CASES");
        for (const auto& c : *cases)
            if (only.isEmpty() || only.split(',').contains(c.toObject()["name"].toString())) cases_.append(c);
        QVERIFY2(!cases_.isEmpty(), qPrintable("no parity case is named in '" + only + "'"));
        if (!ParityModelWriter::hasTokenizer(cases_[0].toObject())) QSKIP("npm reference packages missing: run scripts/install-reference.sh");
        QVERIFY(dir_.isValid());
        std::string error;
        if (!vk::test::TestGpu::open(error)) QSKIP(error.c_str());
    }

    void eachModelMatchesTheCpu_data() {
        QTest::addColumn<int>("index");
        for (int i = 0; i < cases_.size(); ++i) QTest::newRow(qPrintable(cases_[i].toObject()["name"].toString())) << i;
    }
    void eachModelMatchesTheCpu() {
        QFETCH(int, index);
        const QJsonObject c = cases_[index].toObject();
        auto gpu = runOnVulkan(c);
        QVERIFY2(gpu, gpu ? "" : gpu.error().message.c_str());

        const std::string path = (dir_.path() + "/model.gguf").toStdString();
        auto cpuModel = CpuModel::open(path, {kContext, 2, kMaxBatch});
        QVERIFY2(cpuModel, cpuModel ? "" : cpuModel.error().message.c_str());
        auto cpu = run(**cpuModel, tokensOf(c));
        QVERIFY2(cpu, cpu ? "" : cpu.error().message.c_str());
        if (index == 0) {
            firstTrace_ = *gpu;
            firstCase_ = c;
        }
        // tst_vulkan_model's bounds: fp32 activations on the device; the CPU rounds them to 8-bit
        // blocks for quantized weights.
        const double bound = c["type"].toString().startsWith("F") ? 1e-8 : 5e-3;
        for (size_t step = 0; step < gpu->size(); ++step) {
            const vk::test::Difference d = vk::test::compare((*gpu)[step], (*cpu)[step]);
            QVERIFY2(d.nmse < bound, qPrintable(QString("step %1: NMSE %2 (worst token %3)").arg(step).arg(d.nmse).arg(d.worst)));
        }
    }

    // After every other model came and went, the first one again: the same bits.
    void firstModelAgainIsIdentical() {
        QVERIFY(!firstTrace_.empty());
        auto again = runOnVulkan(firstCase_);
        QVERIFY2(again, again ? "" : again.error().message.c_str());
        QCOMPARE(again->size(), firstTrace_.size());
        for (size_t step = 0; step < again->size(); ++step)
            QVERIFY2(std::memcmp((*again)[step].data(), firstTrace_[step].data(), firstTrace_[step].size() * sizeof(float)) == 0,
                     qPrintable(QString("step %1 differs from the first run").arg(step)));
    }
};

QTEST_GUILESS_MAIN(TestVulkanModelSequence)
#include "tst_vulkan_model_sequence.moc"
