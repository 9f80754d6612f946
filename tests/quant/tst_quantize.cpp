// quantize → dequantize round trips: error bounds per type and edge cases.
//
// Bounds. For the 32-weight formats the error of one weight is at most one quantization step
// (half a step from rounding, up to a full step where the asymmetric range clips the far side,
// e.g. Q4_0 maps its largest magnitude to −8 and the other side can only reach +7), plus the fp16
// rounding of the scale (relative 2^−11 times the code, < 1% of a step). Steps: Q8_0 amax/127,
// Q4_0 |max|/8, Q5_0 |max|/16, Q4_1 (max−min)/15, Q5_1 (max−min)/31.
// For Gaussian data the RMS error of a uniform quantizer is step/√12; relative to σ with
// blocks whose |max| ≈ 2.0–2.5σ this gives ≈ 0.09 (4-bit), 0.045 (5-bit), 0.006 (8-bit). The
// K-quants add a 6-bit scale grid on top: we allow 1.5× the plain figure. Q6_K ≈ 0.025.
#include "inference/quant/Dequantize.h"
#include "inference/quant/Quantize.h"

#include <QTest>
#include <cmath>
#include <random>

using namespace lucent;

namespace {

std::vector<float> gaussian(size_t n, uint32_t seed, float sigma = 1.0f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, sigma);
    std::vector<float> x(n);
    for (auto& v : x) v = normal(rng);
    return x;
}

std::vector<float> roundTrip(TensorType type, const std::vector<float>& x) {
    const auto bytes = quantize(type, x, x.size());
    if (bytes.size() != rowBytes(type, x.size())) return {};
    std::vector<float> y(x.size());
    dequantizeRow(type, bytes.data(), y.data(), y.size());
    return y;
}

float step(TensorType type, const float* block) {
    float lo = block[0], hi = block[0], amax = 0;
    for (int j = 0; j < 32; ++j) {
        lo = std::min(lo, block[j]);
        hi = std::max(hi, block[j]);
        amax = std::max(amax, std::fabs(block[j]));
    }
    switch (type) {
    case TensorType::Q8_0: return amax / 127;
    case TensorType::Q4_0: return amax / 8;
    case TensorType::Q5_0: return amax / 16;
    case TensorType::Q4_1: return (hi - lo) / 15;
    case TensorType::Q5_1: return (hi - lo) / 31;
    default: return 0;
    }
}

} // namespace

class TestQuantize : public QObject {
    Q_OBJECT

private slots:
    void rmsErrorWithinBound_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<double>("bound");
        QTest::newRow("Q8_0") << int(TensorType::Q8_0) << 0.008;
        QTest::newRow("Q6_K") << int(TensorType::Q6_K) << 0.03;
        QTest::newRow("Q5_0") << int(TensorType::Q5_0) << 0.05;
        QTest::newRow("Q5_1") << int(TensorType::Q5_1) << 0.05;
        QTest::newRow("Q5_K") << int(TensorType::Q5_K) << 0.07;
        QTest::newRow("Q4_0") << int(TensorType::Q4_0) << 0.1;
        QTest::newRow("Q4_1") << int(TensorType::Q4_1) << 0.1;
        QTest::newRow("Q4_K") << int(TensorType::Q4_K) << 0.14;
        QTest::newRow("F16") << int(TensorType::F16) << 0.0005;
        QTest::newRow("BF16") << int(TensorType::BF16) << 0.004;
    }
    void rmsErrorWithinBound() {
        QFETCH(int, type);
        QFETCH(double, bound);
        const auto x = gaussian(256 * 64, 7u + uint32_t(type));
        const auto y = roundTrip(TensorType(type), x);
        QCOMPARE(y.size(), x.size());
        double sum = 0, sumX = 0;
        for (size_t i = 0; i < x.size(); ++i) {
            sum += double(y[i] - x[i]) * double(y[i] - x[i]);
            sumX += double(x[i]) * double(x[i]);
        }
        const double relative = std::sqrt(sum / sumX);
        qInfo("%s relative RMS error %.5f (bound %.4f)", tensorTypeName(TensorType(type)).data(), relative, bound);
        QVERIFY2(relative < bound, qPrintable(QString::number(relative)));
        QVERIFY(relative > 0 || type == int(TensorType::F32)); // the data is not representable exactly
    }

    void perWeightErrorAtMostOneStep_data() {
        QTest::addColumn<int>("type");
        for (auto t : {TensorType::Q8_0, TensorType::Q4_0, TensorType::Q5_0, TensorType::Q4_1, TensorType::Q5_1})
            QTest::newRow(tensorTypeName(t).data()) << int(t);
    }
    void perWeightErrorAtMostOneStep() {
        QFETCH(int, type);
        const auto x = gaussian(32 * 200, 99u + uint32_t(type), 0.3f);
        const auto y = roundTrip(TensorType(type), x);
        for (size_t b = 0; b < x.size() / 32; ++b) {
            const float s = step(TensorType(type), &x[32 * b]);
            for (size_t j = 32 * b; j < 32 * b + 32; ++j)
                QVERIFY2(std::fabs(y[j] - x[j]) <= s * 1.01f + 1e-6f,
                         qPrintable(QString("weight %1: %2 → %3, step %4").arg(j).arg(x[j]).arg(y[j]).arg(s)));
        }
    }

    void zerosStayZero_data() { rmsErrorWithinBound_data(); }
    void zerosStayZero() {
        QFETCH(int, type);
        const std::vector<float> x(512, 0.0f);
        for (float v : roundTrip(TensorType(type), x)) QCOMPARE(v, 0.0f);
    }

    void constantAndExtremeRows_data() { rmsErrorWithinBound_data(); }
    void constantAndExtremeRows() {
        QFETCH(int, type);
        QFETCH(double, bound);
        for (float scale : {1e-6f, 0.02f, 1.0f, 1000.0f}) {
            std::vector<float> x(512, 0.5f * scale);
            for (size_t i = 0; i < 512; i += 7) x[i] = -scale; // a few outliers
            const auto y = roundTrip(TensorType(type), x);
            double sum = 0, sumX = 0;
            for (size_t i = 0; i < x.size(); ++i) {
                QVERIFY(std::isfinite(y[i]));
                sum += double(y[i] - x[i]) * double(y[i] - x[i]);
                sumX += double(x[i]) * double(x[i]);
            }
            // Tiny values lose to fp16 subnormals; everything else stays within the Gaussian bound.
            if (scale >= 0.02f) QVERIFY2(std::sqrt(sum / sumX) < 2 * bound, qPrintable(QString::number(std::sqrt(sum / sumX))));
            else QVERIFY(std::sqrt(sum / sumX) <= 1.0);
        }
    }
};

QTEST_GUILESS_MAIN(TestQuantize)
#include "tst_quantize.moc"
