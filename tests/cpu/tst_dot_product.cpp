// Per-type dot products and mat-vec / mat-mul against "dequantize with lucent_quant, then a
// literal double-precision dot".
#include "inference/cpu/DotProduct.h"
#include "inference/cpu/MatMul.h"
#include "inference/cpu/ThreadPool.h"
#include "inference/quant/Dequantize.h"
#include "inference/quant/Quantize.h"

#include <QTest>
#include <cmath>
#include <random>

using namespace lucent;

namespace {

const TensorType kTypes[] = {TensorType::F32,  TensorType::F16,  TensorType::BF16, TensorType::Q8_0,
                             TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1,
                             TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K};

std::vector<float> randomValues(size_t n, uint32_t seed, float mean = 0.0f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(mean, 1.0f);
    std::vector<float> v(n);
    for (auto& x : v) x = normal(rng);
    return v;
}

// Σ w·x in double over the dequantized weights, and Σ|w·x| to scale the tolerance.
std::pair<double, double> referenceDot(TensorType type, const uint8_t* row, const float* x, size_t n) {
    std::vector<float> w(n);
    dequantizeRow(type, row, w.data(), n);
    double sum = 0.0, magnitude = 0.0;
    for (size_t i = 0; i < n; ++i) {
        sum += double(w[i]) * double(x[i]);
        magnitude += std::abs(double(w[i]) * double(x[i]));
    }
    return {sum, magnitude};
}

} // namespace

class TestDotProduct : public QObject {
    Q_OBJECT
private slots:
    void dotMatchesDequantizedDot_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("n");
        for (TensorType type : kTypes)
            for (int n : {256, 1536, 8960 / 256 * 256 + 256})
                QTest::newRow(qPrintable(QString("%1 n=%2").arg(tensorTypeName(type).data()).arg(n))) << int(type) << n;
    }
    void dotMatchesDequantizedDot() {
        QFETCH(int, type);
        QFETCH(int, n);
        const auto t = TensorType(type);
        // A mean offset exercises the min terms of Q4_1/Q5_1/K-quants.
        const auto weights = randomValues(size_t(n), 1, 0.3f);
        const auto x = randomValues(size_t(n), 2);
        const auto row = quantize(t, weights, size_t(n));
        const auto [expected, magnitude] = referenceDot(t, row.data(), x.data(), size_t(n));
        const float actual = dotRow(t, row.data(), x.data(), size_t(n));
        // fp32 accumulation of n products: error ~ n·ε·Σ|w·x| in the worst case, far less in practice.
        const double error = std::abs(double(actual) - expected);
        QVERIFY2(error <= 1e-5 * magnitude, qPrintable(QString("dot %1 vs %2, error %3, Σ|wx| %4").arg(actual).arg(expected).arg(error).arg(magnitude)));
    }

    void oddLengthFloatRows() {
        // F32/F16/BF16 have no blocks: a length that is no multiple of the vector width.
        for (TensorType t : {TensorType::F32, TensorType::F16, TensorType::BF16}) {
            const size_t n = 37;
            const auto row = quantize(t, randomValues(n, 3), n);
            const auto x = randomValues(n, 4);
            const auto [expected, magnitude] = referenceDot(t, row.data(), x.data(), n);
            QVERIFY(std::abs(double(dotRow(t, row.data(), x.data(), n)) - expected) <= 1e-6 * magnitude);
        }
    }

    void matVecAndMatMulMatchEveryRow_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("tokens");
        for (TensorType type : kTypes)
            for (int tokens : {1, 3, 9})
                QTest::newRow(qPrintable(QString("%1 tokens=%2").arg(tensorTypeName(type).data()).arg(tokens))) << int(type) << tokens;
    }
    void matVecAndMatMulMatchEveryRow() {
        QFETCH(int, type);
        QFETCH(int, tokens);
        const auto t = TensorType(type);
        const size_t cols = 512, rows = 77; // 77: not a multiple of the thread count or the tile
        const auto values = randomValues(rows * cols, 5, 0.1f);
        const auto matrix = quantize(t, values, cols);
        const auto x = randomValues(size_t(tokens) * cols, 6);
        const WeightView w{matrix.data(), t, cols, rows};
        ThreadPool pool(3);
        std::vector<float> y(size_t(tokens) * rows), scratch(pool.size() * matMulScratchFloats(cols));
        matMul(w, x.data(), size_t(tokens), y.data(), pool, scratch.data());
        std::vector<float> single(rows);
        matVec(w, x.data(), single.data(), pool);
        for (size_t tok = 0; tok < size_t(tokens); ++tok)
            for (size_t r = 0; r < rows; ++r) {
                const auto [expected, magnitude] = referenceDot(t, w.row(r), x.data() + tok * cols, cols);
                const float actual = y[tok * rows + r];
                QVERIFY2(std::abs(double(actual) - expected) <= 1e-5 * magnitude,
                         qPrintable(QString("token %1 row %2: %3 vs %4").arg(tok).arg(r).arg(actual).arg(expected)));
                if (tok == 0) QVERIFY(std::abs(double(single[r]) - expected) <= 1e-5 * magnitude);
            }
    }
};

QTEST_APPLESS_MAIN(TestDotProduct)
#include "tst_dot_product.moc"
