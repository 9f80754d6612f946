// Per-type dot products and mat-vec / mat-mul against "dequantize with lucent_quant, then a
// literal double-precision dot".
#include "inference/cpu/DotProduct.h"
#include "inference/cpu/MatMul.h"
#include "inference/cpu/QuantDot.h"
#include "inference/cpu/QuantizedActivations.h"
#include "inference/cpu/ThreadPool.h"
#include "inference/quant/Dequantize.h"
#include "inference/quant/Quantize.h"
#include "tests/cpu/RandomValues.h"

#include <QTest>
#include <cmath>
#include <random>

using namespace lucent;
using lucent::testing::randomValues;

namespace {

const TensorType kTypes[] = {TensorType::F32,  TensorType::F16,  TensorType::BF16, TensorType::Q8_0,
                             TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1,
                             TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K};

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

    void integerDotMatchesLiteralProducts_data() {
        QTest::addColumn<int>("type");
        for (TensorType type : kTypes)
            if (usesQuantizedActivations(type)) QTest::newRow(tensorTypeName(type).data()) << int(type);
    }
    void integerDotMatchesLiteralProducts() {
        QFETCH(int, type);
        const auto t = TensorType(type);
        const size_t n = 1536, rows = 5;
        const auto weights = randomValues(rows * n, 7, 0.2f);
        const auto matrix = quantize(t, weights, n);
        auto x = randomValues(n, 8);
        x[100] = 9.0f; // one outlier, as real activations have
        std::vector<uint8_t> qx(quantizedActivationBytes(t, n));
        quantizeActivations(t, x.data(), n, qx.data());
        // The activations as the integer kernels see them: d·q per block.
        std::vector<double> xq(n);
        const bool k = t == TensorType::Q4_K || t == TensorType::Q5_K || t == TensorType::Q6_K;
        for (size_t i = 0; i < n; ++i) {
            double step;
            if (k) {
                const auto& block = reinterpret_cast<const ActivationBlock256*>(qx.data())[i / 256];
                xq[i] = double(block.d) * block.qs[i % 256];
                step = std::abs(block.d);
            } else {
                const auto& block = reinterpret_cast<const ActivationBlock32*>(qx.data())[i / 32];
                xq[i] = double(block.d) * block.qs[i % 32];
                step = block.d;
            }
            // Rounding moves an activation by half a step (a whole one where the K-quant scale
            // clamps the extreme of the other sign at 127, and an fp16-rounded scale adds a little).
            QVERIFY2(std::abs(xq[i] - x[i]) <= step * 1.001, qPrintable(QString("activation %1: %2 vs %3").arg(i).arg(xq[i]).arg(x[i])));
        }
        const size_t stride = rowBytes(t, n);
        std::vector<float> fast(rows), portable(rows);
        quantDotRows(t, matrix.data(), stride, n, qx.data(), qx.size(), 1, fast.data(), rows, rows);
        quantDotRowsPortable(t, matrix.data(), stride, n, qx.data(), qx.size(), 1, portable.data(), rows, rows);
        for (size_t r = 0; r < rows; ++r) {
            std::vector<float> w(n);
            dequantizeRow(t, matrix.data() + r * stride, w.data(), n);
            double expected = 0.0, magnitude = 0.0;
            for (size_t i = 0; i < n; ++i) {
                expected += double(w[i]) * xq[i];
                magnitude += std::abs(double(w[i]) * xq[i]);
            }
            // Q4_1/Q5_1 take the activation sum through fp16 (llama.cpp's Q8_1 "s"): 2⁻¹¹ relative.
            const double tolerance = (t == TensorType::Q4_1 || t == TensorType::Q5_1 ? 5e-4 : 1e-5) * magnitude;
            QVERIFY2(std::abs(double(portable[r]) - expected) <= tolerance,
                     qPrintable(QString("row %1 portable %2 vs literal %3").arg(r).arg(portable[r]).arg(expected)));
            QVERIFY2(std::abs(double(fast[r]) - double(portable[r])) <= 1e-5 * magnitude,
                     qPrintable(QString("row %1 %2 %3 vs portable %4").arg(r).arg(quantDotUsesAvx2() ? "AVX2" : "portable").arg(fast[r]).arg(portable[r])));
        }
    }

    // Every vector kernel this CPU can run against the portable one: an odd number of blocks per
    // row (the AVX-512 kernels take blocks in pairs), odd row counts (rows are taken four at a
    // time for one token) and token counts that mix groups of four with leftovers.
    void vectorKernelsMatchPortable_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("kernel");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("tokens");
        const char* kernels[] = {"AVX2", "AVX-VNNI", "AVX-512"};
        for (TensorType type : kTypes)
            if (usesQuantizedActivations(type))
                for (int kernel = 0; kernel < 3; ++kernel) {
                    if (kernel == 2 && type != TensorType::Q4_0 && type != TensorType::Q8_0) continue; // AVX-512 covers these two
                    for (auto [rows, tokens] : {std::pair{7, 1}, {5, 2}, {9, 6}, {4, 1}})
                        QTest::newRow(qPrintable(QString("%1 %2 rows=%3 tokens=%4").arg(tensorTypeName(type).data(), kernels[kernel]).arg(rows).arg(tokens)))
                            << int(type) << kernel << rows << tokens;
                }
    }
    void vectorKernelsMatchPortable() {
        QFETCH(int, type);
        QFETCH(int, kernel);
        QFETCH(int, rows);
        QFETCH(int, tokens);
        const auto t = TensorType(type);
#if defined(__x86_64__) && defined(__GNUC__)
        const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
        const bool supported[] = {avx2, avx2 && __builtin_cpu_supports("avxvnni"),
                                  avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                                      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni")};
        if (!supported[kernel]) QSKIP("this CPU cannot run the kernel");
#else
        QSKIP("x86-64 kernels only");
#endif
        using Kernel = bool (*)(TensorType, const uint8_t*, size_t, size_t, const uint8_t*, size_t, size_t, float*, size_t, size_t);
        const Kernel run[] = {detail::quantDotRowsAvx2, detail::quantDotRowsAvxVnni, detail::quantDotRowsAvx512};
        const bool kQuant = t == TensorType::Q4_K || t == TensorType::Q5_K || t == TensorType::Q6_K;
        const size_t n = kQuant ? 3 * 256 : 47 * 32; // an odd number of blocks
        const auto matrix = quantize(t, randomValues(size_t(rows) * n, 11, 0.2f), n);
        const auto x = randomValues(size_t(tokens) * n, 12);
        const size_t xBytes = quantizedActivationBytes(t, n), stride = rowBytes(t, n);
        std::vector<uint8_t> qx(size_t(tokens) * xBytes);
        for (int tok = 0; tok < tokens; ++tok) quantizeActivations(t, x.data() + size_t(tok) * n, n, qx.data() + size_t(tok) * xBytes);
        std::vector<float> portable(size_t(rows) * size_t(tokens)), fast(portable.size()), single(static_cast<size_t>(rows));
        quantDotRowsPortable(t, matrix.data(), stride, n, qx.data(), xBytes, size_t(tokens), portable.data(), size_t(rows), size_t(rows));
        if (!run[kernel](t, matrix.data(), stride, n, qx.data(), xBytes, size_t(tokens), fast.data(), size_t(rows), size_t(rows)))
            QSKIP("the kernel does not cover this type");
        for (int tok = 0; tok < tokens; ++tok) {
            // The same kernel on this token alone: the same bits as in the batch.
            QVERIFY(run[kernel](t, matrix.data(), stride, n, qx.data() + size_t(tok) * xBytes, xBytes, 1, single.data(), size_t(rows), size_t(rows)));
            for (int r = 0; r < rows; ++r) {
                std::vector<float> w(n);
                dequantizeRow(t, matrix.data() + size_t(r) * stride, w.data(), n);
                double magnitude = 0.0;
                for (size_t i = 0; i < n; ++i) magnitude += std::abs(double(w[i]) * double(x[size_t(tok) * n + i]));
                const float expected = portable[size_t(tok) * size_t(rows) + size_t(r)], actual = fast[size_t(tok) * size_t(rows) + size_t(r)];
                QVERIFY2(std::abs(double(actual) - double(expected)) <= 1e-5 * magnitude,
                         qPrintable(QString("token %1 row %2: %3 vs portable %4").arg(tok).arg(r).arg(actual).arg(expected)));
                QCOMPARE(single[size_t(r)], actual);
            }
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
        std::vector<float> y(size_t(tokens) * rows);
        std::vector<uint8_t> activations(matMulActivationBytes(cols, size_t(tokens)));
        const MatMulScratch scratch{activations.data()};
        matMul(w, x.data(), size_t(tokens), y.data(), pool, scratch);
        std::vector<float> single(rows);
        for (size_t tok = 0; tok < size_t(tokens); ++tok) {
            matVec(w, x.data() + tok * cols, single.data(), pool, scratch);
            for (size_t r = 0; r < rows; ++r) {
                const auto [expected, magnitude] = referenceDot(t, w.row(r), x.data() + tok * cols, cols);
                const float actual = y[tok * rows + r];
                // Float weights: fp32 rounding only. Quantized: the activations are rounded to
                // 8 bits (≤ 1/254 of a block's largest value each, ~1% of the sum at worst).
                const double tolerance = (usesQuantizedActivations(t) ? 2e-2 : 1e-5) * magnitude;
                QVERIFY2(std::abs(double(actual) - expected) <= tolerance,
                         qPrintable(QString("token %1 row %2: %3 vs %4").arg(tok).arg(r).arg(actual).arg(expected)));
                // One token or a batch: the same bits.
                QCOMPARE(single[r], actual);
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestDotProduct)
#include "tst_dot_product.moc"
