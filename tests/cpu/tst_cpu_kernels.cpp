// Each CPU kernel against a naive, literal double-precision implementation of its formula
// (ENGINE.md §2). Every comparison prints the largest difference when it fails.
#include "inference/cpu/Attention.h"
#include "inference/cpu/Kernels.h"
#include "inference/quant/Fp16.h"

#include <QTest>
#include <cmath>
#include <numbers>
#include <random>

using namespace lucent;

namespace {

std::vector<float> randomValues(size_t n, uint32_t seed, float scale = 1.0f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, scale);
    std::vector<float> v(n);
    for (auto& x : v) x = normal(rng);
    return v;
}

double maxDifference(const std::vector<float>& a, const std::vector<double>& b) {
    double worst = 0.0;
    for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(double(a[i]) - b[i]));
    return worst;
}

#define COMPARE_WITHIN(actual, expected, tolerance)                                                                     \
    do {                                                                                                                \
        const double worst_ = maxDifference(actual, expected);                                                          \
        QVERIFY2(worst_ <= (tolerance), qPrintable(QString("largest difference %1 > %2").arg(worst_).arg(tolerance))); \
    } while (0)

} // namespace

class TestCpuKernels : public QObject {
    Q_OBJECT
private slots:
    void rmsNormMatchesFormula() {
        const size_t n = 1536;
        const auto x = randomValues(n, 1, 3.0f), weight = randomValues(n, 2);
        double mean = 0.0;
        for (float v : x) mean += double(v) * v;
        mean /= double(n);
        std::vector<double> expected(n);
        for (size_t i = 0; i < n; ++i) expected[i] = x[i] / std::sqrt(mean + 1e-6) * weight[i];
        std::vector<float> out(n);
        rmsNorm(out.data(), x.data(), weight.data(), n, 1e-6f);
        COMPARE_WITHIN(out, expected, 1e-5);
    }

    void ropeMatchesLiteralRotation_data() {
        QTest::addColumn<bool>("neox");
        QTest::addColumn<int>("pos");
        QTest::addColumn<bool>("freqFactors");
        for (bool neox : {false, true})
            for (int pos : {0, 1, 17, 1023, 1500, 4000})
                for (bool factors : {false, true})
                    QTest::newRow(qPrintable(QString("%1 pos=%2%3").arg(neox ? "neox" : "norm").arg(pos).arg(factors ? " freqs" : "")))
                        << neox << pos << factors;
    }
    void ropeMatchesLiteralRotation() {
        QFETCH(bool, neox);
        QFETCH(int, pos);
        QFETCH(bool, freqFactors);
        const int nHeads = 3, headDim = 128, nRot = 128;
        const float base = 10000.0f;
        const auto x = randomValues(size_t(nHeads * headDim), 3);
        std::vector<float> factors(nRot / 2);
        for (int i = 0; i < nRot / 2; ++i) factors[size_t(i)] = 1.0f + float(i % 5);
        const float* ff = freqFactors ? factors.data() : nullptr;
        // Literal: θ_i = pos·base^(−2i/n_rot)/f_i; NORM rotates (2i, 2i+1), NEOX (i, i+n_rot/2).
        std::vector<double> expected(x.begin(), x.end());
        for (int h = 0; h < nHeads; ++h)
            for (int i = 0; i < nRot / 2; ++i) {
                const double theta = double(ropeAngle(pos, i, nRot, base, ff));
                const int a = h * headDim + (neox ? i : 2 * i), b = h * headDim + (neox ? i + nRot / 2 : 2 * i + 1);
                expected[size_t(a)] = x[size_t(a)] * std::cos(theta) - x[size_t(b)] * std::sin(theta);
                expected[size_t(b)] = x[size_t(a)] * std::sin(theta) + x[size_t(b)] * std::cos(theta);
            }
        std::vector<float> actual = x;
        rope(actual.data(), nHeads, headDim, nRot, pos, neox ? RopePairing::Neox : RopePairing::Norm, base, ff);
        // fp32 sin/cos of angles up to 4000 rad: |error| ≲ 4000·2⁻²⁴ per trig value.
        COMPARE_WITHIN(actual, expected, 2e-3);
        // And at pos ≥ 1: the two pairings differ, so a mix-up cannot pass.
        if (pos > 0) {
            std::vector<float> other = x;
            rope(other.data(), nHeads, headDim, nRot, pos, neox ? RopePairing::Norm : RopePairing::Neox, base, ff);
            QVERIFY(maxDifference(other, expected) > 0.1);
        }
    }

    void ropeAnglesStayCloseToExactPowers() {
        // llama.cpp forms base^(−2i/n) by repeated multiplication; we do too, and it must stay
        // close to the exact angle (a wrong exponent would be far off).
        for (int pos : {1, 1000, 4000})
            for (int i : {0, 1, 31, 63}) {
                const double exact = pos * std::pow(10000.0, -2.0 * i / 128.0);
                QVERIFY2(std::abs(double(ropeAngle(pos, i, 128, 10000.0f, nullptr)) - exact) <= 1e-5 * std::max(1.0, exact) * 64,
                         qPrintable(QString("pos %1 i %2").arg(pos).arg(i)));
            }
    }

    void softmaxMatchesFormula() {
        auto x = randomValues(1000, 4, 10.0f);
        double maxValue = -1e30, sum = 0.0;
        for (float v : x) maxValue = std::max(maxValue, double(v));
        for (float v : x) sum += std::exp(double(v) - maxValue);
        std::vector<double> expected(x.size());
        for (size_t i = 0; i < x.size(); ++i) expected[i] = std::exp(double(x[i]) - maxValue) / sum;
        softmax(x.data(), x.size());
        COMPARE_WITHIN(x, expected, 1e-6);
    }

    void swigluMatchesFormula() {
        auto gate = randomValues(999, 5, 4.0f);
        const auto up = randomValues(999, 6);
        std::vector<double> expected(gate.size());
        for (size_t i = 0; i < gate.size(); ++i) expected[i] = gate[i] / (1.0 + std::exp(-double(gate[i]))) * up[i];
        swiglu(gate.data(), up.data(), gate.size());
        COMPARE_WITHIN(gate, expected, 1e-5);
    }

    void attentionMatchesLiteralGqa_data() {
        QTest::addColumn<int>("nHead");
        QTest::addColumn<int>("nHeadKv");
        QTest::addColumn<int>("nKeys");
        QTest::newRow("gqa 6 (1.5B), 1 key") << 12 << 2 << 1;
        QTest::newRow("gqa 6 (1.5B), 1201 keys") << 12 << 2 << 1201;
        QTest::newRow("gqa 7 (7B), 1033 keys") << 28 << 4 << 1033;
        QTest::newRow("mha, 77 keys") << 4 << 4 << 77;
    }
    void attentionMatchesLiteralGqa() {
        QFETCH(int, nHead);
        QFETCH(int, nHeadKv);
        QFETCH(int, nKeys);
        const int headDim = 128;
        const size_t kvStride = size_t(nHeadKv * headDim);
        std::vector<uint16_t> keys(size_t(nKeys) * kvStride), values(keys.size());
        const auto k = randomValues(keys.size(), 7, 2.0f), v = randomValues(values.size(), 8);
        for (size_t i = 0; i < keys.size(); ++i) {
            keys[i] = floatToHalf(k[i]);
            values[i] = floatToHalf(v[i]);
        }
        const auto q = randomValues(size_t(nHead * headDim), 9, 2.0f);
        const AttentionInputs in{keys.data(), values.data(), kvStride, nHead, nHeadKv, headDim};
        std::vector<float> scores(static_cast<size_t>(nKeys)), out(static_cast<size_t>(nHead * headDim));
        std::vector<double> expected(out.size());
        for (int h = 0; h < nHead; ++h) {
            attendHead(in, h, q.data() + h * headDim, nKeys, scores.data(), out.data() + h * headDim);
            // Literal: query head h reads KV head h / (n_head / n_head_kv).
            const int kvHead = h / (nHead / nHeadKv);
            std::vector<double> logits(static_cast<size_t>(nKeys));
            double maxLogit = -1e30, sum = 0.0;
            for (int t = 0; t < nKeys; ++t) {
                double dot = 0.0;
                for (int d = 0; d < headDim; ++d)
                    dot += double(q[size_t(h * headDim + d)]) * halfToFloat(keys[size_t(t) * kvStride + size_t(kvHead * headDim + d)]);
                logits[size_t(t)] = dot / std::sqrt(double(headDim));
                maxLogit = std::max(maxLogit, logits[size_t(t)]);
            }
            for (auto& l : logits) sum += (l = std::exp(l - maxLogit));
            for (int d = 0; d < headDim; ++d) {
                double acc = 0.0;
                for (int t = 0; t < nKeys; ++t)
                    acc += logits[size_t(t)] / sum * halfToFloat(values[size_t(t) * kvStride + size_t(kvHead * headDim + d)]);
                expected[size_t(h * headDim + d)] = acc;
            }
        }
        COMPARE_WITHIN(out, expected, 2e-5);
    }
};

QTEST_APPLESS_MAIN(TestCpuKernels)
#include "tst_cpu_kernels.moc"
