// The CPU forward pass as a whole: deterministic (same bits across loads and thread counts), a
// batched prompt agrees with token-by-token evaluation, bad input is refused.
#include "ModelFixtures.h"
#include "inference/cpu/CpuModel.h"

#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace lucent;
using namespace lucent::testing;

namespace {

std::vector<int32_t> somePrompt(size_t n, int32_t vocab) {
    std::vector<int32_t> tokens(n);
    for (size_t i = 0; i < n; ++i) tokens[i] = int32_t((i * 7919 + 13) % size_t(vocab));
    return tokens;
}

} // namespace

class TestCpuModel : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    std::string makeModel(const QString& arch, const QString& type, bool gqa7 = false) {
        TestModelSpec spec;
        spec.arch = arch.toStdString();
        spec.type = type.toStdString();
        spec.ropeFreqs = arch == "llama";
        if (gqa7) spec.nEmbd = 256, spec.nHead = 14, spec.nHeadKv = 2, spec.headDim = 128;
        else spec.nEmbd = 256, spec.nHead = 12, spec.nHeadKv = 2, spec.headDim = 64;
        const std::string path = (dir_.path() + "/" + arch + "-" + type + ".gguf").toStdString();
        if (auto written = writeModel(spec, path); !written) qFatal("%s", written.error().message.c_str());
        return path;
    }

    std::vector<float> run(const std::string& path, unsigned threads, const std::vector<int32_t>& prompt, bool oneByOne) {
        auto model = CpuModel::open(path, {1024, threads, 64});
        if (!model) qFatal("%s", model.error().message.c_str());
        std::vector<float> logits((*model)->config().nVocab);
        if (oneByOne)
            for (size_t i = 0; i < prompt.size(); ++i) {
                if (!(*model)->eval(std::span(prompt).subspan(i, 1), int(i), logits.data())) qFatal("eval failed");
            }
        else if (!(*model)->eval(prompt, 0, logits.data()))
            qFatal("eval failed");
        return logits;
    }

private slots:
    void deterministicAcrossLoadsAndThreads_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("gqa7");
        QTest::newRow("qwen2 Q4_K_M gqa6") << "qwen2" << "Q4_K_M" << false;
        QTest::newRow("llama Q8_0 gqa7") << "llama" << "Q8_0" << true;
        QTest::newRow("qwen3 F16 gqa7") << "qwen3" << "F16" << true;
    }
    void deterministicAcrossLoadsAndThreads() {
        QFETCH(QString, arch);
        QFETCH(QString, type);
        QFETCH(bool, gqa7);
        const std::string path = makeModel(arch, type, gqa7);
        // 150 tokens: three batches of 64, so batch boundaries are crossed too.
        const auto prompt = somePrompt(150, 512);
        const auto first = run(path, 1, prompt, false);
        const auto again = run(path, 1, prompt, false);
        const auto threaded = run(path, 3, prompt, false);
        QVERIFY(first == again);
        QVERIFY(first == threaded);
        float spread = 0.0f;
        for (float v : first) {
            QVERIFY(std::isfinite(v));
            spread = std::max(spread, std::abs(v));
        }
        QVERIFY(spread > 0.1f); // not all zero
    }

    void batchedPromptMatchesTokenByToken_data() {
        QTest::addColumn<QString>("type");
        for (const char* type : {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q5_1", "Q4_K", "Q6_K"}) QTest::newRow(type) << type;
    }
    void batchedPromptMatchesTokenByToken() {
        QFETCH(QString, type);
        const std::string path = makeModel("qwen2", type);
        const auto prompt = somePrompt(70, 512);
        const auto batched = run(path, 2, prompt, false);
        const auto single = run(path, 2, prompt, true);
        // A batch runs the same per-row, per-head arithmetic as single tokens: identical bits.
        float worst = 0.0f;
        for (size_t i = 0; i < batched.size(); ++i) worst = std::max(worst, std::abs(batched[i] - single[i]));
        QVERIFY2(batched == single, qPrintable(QString("largest difference %1").arg(worst)));
    }

    void reevaluatingAPositionOverwritesTheCache() {
        const std::string path = makeModel("qwen3", "Q4_0");
        auto model = CpuModel::open(path, {64, 2, 16});
        QVERIFY(model);
        std::vector<float> a(512), b(512), c(512);
        const std::vector<int32_t> prompt = {5, 6, 7, 8};
        QVERIFY((*model)->eval(std::span(prompt).subspan(0, 3), 0, a.data()));
        QVERIFY((*model)->eval(std::span(prompt).subspan(3), 3, a.data()));
        const int32_t other = 9;
        QVERIFY((*model)->eval(std::span(&other, 1), 3, b.data())); // position 3 now holds 9
        QVERIFY(a != b);
        QVERIFY((*model)->eval(std::span(prompt).subspan(3), 3, c.data())); // and 8 again
        QVERIFY(a == c);
    }

    void badInputIsRefused() {
        const std::string path = makeModel("qwen2", "Q8_0");
        auto model = CpuModel::open(path, {16, 1, 8});
        QVERIFY(model);
        std::vector<float> logits(512);
        const std::vector<int32_t> outside = {1, 512};
        auto result = (*model)->eval(outside, 0, logits.data());
        QVERIFY(!result);
        QVERIFY(QString::fromStdString(result.error().message).contains("512"));
        const std::vector<int32_t> tooMany(17, 3);
        result = (*model)->eval(tooMany, 0, logits.data());
        QVERIFY(!result);
        QVERIFY(QString::fromStdString(result.error().message).contains("context"));
        QVERIFY(!(*model)->eval(std::span(tooMany).subspan(0, 2), 15, logits.data()));
        QVERIFY(!(*model)->eval({}, 0, logits.data()));
        QVERIFY(!CpuModel::open((dir_.path() + "/missing.gguf").toStdString()));
    }
};

QTEST_GUILESS_MAIN(TestCpuModel)
#include "tst_cpu_model.moc"
