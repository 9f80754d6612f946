// Q4_0 and Q8_0 rows interleaved eight at a time (inference/cpu/InterleavedRows.h): the repack
// keeps every weight, the portable kernel gives the bits of the row-major one, every vector kernel
// this CPU can run stays within rounding of it (the same bits for a token alone or in a batch),
// and matMul on an interleaved view agrees with matMul on the rows it came from. Every test runs
// for both types.
#include "inference/cpu/InterleavedRows.h"
#include "inference/cpu/MatMul.h"
#include "inference/cpu/QuantDot.h"
#include "inference/cpu/QuantizedActivations.h"
#include "inference/cpu/ThreadPool.h"
#include "inference/quant/BlockFormats.h"
#include "inference/quant/Dequantize.h"
#include "inference/quant/Quantize.h"
#include "tests/cpu/RandomValues.h"

#include <QTest>
#include <cmath>
#include <cstring>
#include <random>

using namespace lucent;
using lucent::testing::randomValues;

namespace {

std::vector<uint8_t> interleaved(const WeightView& w) {
    std::vector<uint8_t> out(w.rows * rowBytes(w.type, w.cols));
    interleaveRows(w, out.data());
    return out;
}

std::vector<uint8_t> quantizedTokens(TensorType type, const std::vector<float>& x, size_t n, size_t tokens) {
    const size_t bytes = quantizedActivationBytes(type, n);
    std::vector<uint8_t> qx(tokens * bytes);
    for (size_t t = 0; t < tokens; ++t) quantizeActivations(type, x.data() + t * n, n, qx.data() + t * bytes);
    return qx;
}

using Kernel = bool (*)(TensorType, const uint8_t*, size_t, const uint8_t*, size_t, size_t, float*, size_t, size_t);

// Every vector kernel against the portable one on `matrix` (rows × n, row-major `type`).
void checkKernels(TensorType type, const std::vector<uint8_t>& matrix, size_t rows, size_t n, const std::vector<uint8_t>& qx, size_t tokens) {
#if defined(__x86_64__) && defined(__GNUC__)
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    const bool supported[] = {avx2, avx2 && __builtin_cpu_supports("avxvnni")};
#else
    const bool supported[] = {false, false};
#endif
    const char* names[] = {"AVX2", "AVX-VNNI"};
    const Kernel run[] = {detail::quantDotInterleavedAvx2, detail::quantDotInterleavedAvxVnni};
    const WeightView w{matrix.data(), type, n, rows};
    const auto groups = interleaved(w);
    const size_t xBytes = quantizedActivationBytes(type, n), groupCount = rows / kInterleavedRows;
    std::vector<float> portable(tokens * rows);
    quantDotInterleavedPortable(type, groups.data(), n, qx.data(), xBytes, tokens, portable.data(), rows, groupCount);
    for (int kernel = 0; kernel < 2; ++kernel) {
        if (!supported[kernel]) {
            qInfo("%s: this CPU cannot run the kernel", names[kernel]);
            continue;
        }
        std::vector<float> fast(tokens * rows), single(rows);
        QVERIFY(run[kernel](type, groups.data(), n, qx.data(), xBytes, tokens, fast.data(), rows, groupCount));
        for (size_t t = 0; t < tokens; ++t) {
            // The same kernel on this token alone: the same bits as in the batch.
            QVERIFY(run[kernel](type, groups.data(), n, qx.data() + t * xBytes, xBytes, 1, single.data(), rows, groupCount));
            const auto* x = reinterpret_cast<const ActivationBlock32*>(qx.data() + t * xBytes);
            for (size_t r = 0; r < rows; ++r) {
                std::vector<float> weights(n);
                dequantizeRow(type, w.row(r), weights.data(), n);
                double magnitude = 0.0;
                for (size_t i = 0; i < n; ++i) magnitude += std::abs(double(weights[i]) * x[i / 32].d * x[i / 32].qs[i % 32]);
                const float expected = portable[t * rows + r], actual = fast[t * rows + r];
                QVERIFY2(std::abs(double(actual) - double(expected)) <= 1e-5 * magnitude,
                         qPrintable(QString("%1 token %2 row %3: %4 vs portable %5").arg(names[kernel]).arg(t).arg(r).arg(actual).arg(expected)));
                QCOMPARE(single[r], actual);
            }
        }
    }
}

QString name(TensorType type) { return QString::fromUtf8(tensorTypeName(type).data(), qsizetype(tensorTypeName(type).size())); }

// The two types as test data: `type` in every test below.
void addTypes() {
    QTest::addColumn<TensorType>("type");
    QTest::newRow("Q4_0") << TensorType::Q4_0;
    QTest::newRow("Q8_0") << TensorType::Q8_0;
}

} // namespace

Q_DECLARE_METATYPE(lucent::TensorType)

class TestInterleavedRows : public QObject {
    Q_OBJECT
private slots:
    void onlyQ4_0AndQ8_0WithWholeGroups() {
        QVERIFY(canInterleaveRows(WeightView{nullptr, TensorType::Q4_0, 64, 16}));
        QVERIFY(canInterleaveRows(WeightView{nullptr, TensorType::Q8_0, 64, 16}));
        QVERIFY(!canInterleaveRows(WeightView{nullptr, TensorType::Q4_0, 64, 12}));
        QVERIFY(!canInterleaveRows(WeightView{nullptr, TensorType::Q8_0, 64, 12}));
        QVERIFY(!canInterleaveRows(WeightView{nullptr, TensorType::Q4_1, 64, 16}));
        QVERIFY(!canInterleaveRows(WeightView{nullptr, TensorType::Q4_K, 256, 16}));
    }

    // The portable kernel on the interleaved copy is the row-major portable kernel, bit for bit:
    // the repack moved every byte to where the layout says.
    void portableKeepsRowMajorBits_data() { addTypes(); }
    void portableKeepsRowMajorBits() {
        QFETCH(TensorType, type);
        const size_t rows = 24, n = 47 * 32, tokens = 5;
        const auto matrix = quantize(type, randomValues(rows * n, 21, 0.2f), n);
        const auto qx = quantizedTokens(type, randomValues(tokens * n, 22), n, tokens);
        const size_t xBytes = qx.size() / tokens;
        const auto groups = interleaved(WeightView{matrix.data(), type, n, rows});
        QCOMPARE(groups.size(), matrix.size());
        // Ranges of groups, as the load's threads take them, write the same bytes.
        std::vector<uint8_t> inParts(matrix.size());
        const WeightView w{matrix.data(), type, n, rows};
        interleaveRows(w, inParts.data(), 1, 3);
        interleaveRows(w, inParts.data(), 0, 1);
        QVERIFY(inParts == groups);
        std::vector<float> rowMajor(tokens * rows), fromGroups(tokens * rows);
        quantDotRowsPortable(type, matrix.data(), rowBytes(type, n), n, qx.data(), xBytes, tokens, rowMajor.data(), rows, rows);
        quantDotInterleavedPortable(type, groups.data(), n, qx.data(), xBytes, tokens, fromGroups.data(), rows, rows / kInterleavedRows);
        for (size_t i = 0; i < rowMajor.size(); ++i) QCOMPARE(fromGroups[i], rowMajor[i]);
    }

    // Token counts that mix groups of four with leftovers; an odd number of blocks per row.
    void vectorKernelsMatchPortable_data() {
        QTest::addColumn<TensorType>("type");
        QTest::addColumn<int>("tokens");
        for (TensorType type : {TensorType::Q4_0, TensorType::Q8_0})
            for (int tokens : {1, 2, 3, 4, 9})
                QTest::newRow(qPrintable(QString("%1 tokens=%2").arg(name(type)).arg(tokens))) << type << tokens;
    }
    void vectorKernelsMatchPortable() {
        QFETCH(TensorType, type);
        QFETCH(int, tokens);
        const size_t rows = 16, n = 47 * 32;
        const auto matrix = quantize(type, randomValues(rows * n, 23, 0.2f), n);
        auto x = randomValues(size_t(tokens) * n, 24);
        x[100] = 9.0f; // one outlier, as real activations have
        checkKernels(type, matrix, rows, n, quantizedTokens(type, x, n, size_t(tokens)), size_t(tokens));
    }

    // The largest integer sums the AVX2 kernels keep in int16 lanes, against every activation at
    // ±127: Q4_0, every nibble 15 or 0 (eight pairs of 2·15·127 per lane); Q8_0, every weight
    // −128 or 127 (one pair of 2·128·127 per lane).
    void extremeBlocksDoNotOverflow_data() { addTypes(); }
    void extremeBlocksDoNotOverflow() {
        QFETCH(TensorType, type);
        const size_t rows = 8, n = 4 * 32, tokens = 2, blockBytes = rowBytes(type, 32);
        std::vector<uint8_t> matrix(rows * rowBytes(type, n));
        for (size_t b = 0; b < rows * n / 32; ++b) {
            uint8_t* block = matrix.data() + b * blockBytes;
            const uint16_t one = 0x3c00; // d = 1.0, then the weights
            std::memcpy(block, &one, sizeof one);
            const uint8_t extreme = type == TensorType::Q4_0 ? (b % 3 == 0 ? 0x00 : 0xff) : (b % 3 == 0 ? 0x80 : 0x7f);
            std::memset(block + sizeof one, extreme, blockBytes - sizeof one);
        }
        std::vector<float> x(tokens * n);
        for (size_t i = 0; i < n; ++i) x[i] = 1.0f, x[n + i] = -1.0f;
        const auto qx = quantizedTokens(type, x, n, tokens);
        QCOMPARE(int(reinterpret_cast<const ActivationBlock32*>(qx.data())->qs[0]), 127);
        checkKernels(type, matrix, rows, n, qx, tokens);
    }

    // matMul with an interleaved view: within rounding of the row-major view, and a token alone
    // gives the bits it gets in a batch. 88 rows: 11 groups, no multiple of the thread count.
    void matMulOnInterleavedView_data() {
        QTest::addColumn<TensorType>("type");
        QTest::addColumn<int>("tokens");
        for (TensorType type : {TensorType::Q4_0, TensorType::Q8_0})
            for (int tokens : {1, 3, 9})
                QTest::newRow(qPrintable(QString("%1 tokens=%2").arg(name(type)).arg(tokens))) << type << tokens;
    }
    void matMulOnInterleavedView() {
        QFETCH(TensorType, type);
        QFETCH(int, tokens);
        const size_t rows = 88, cols = 512;
        const auto matrix = quantize(type, randomValues(rows * cols, 25, 0.1f), cols);
        const auto x = randomValues(size_t(tokens) * cols, 26);
        const WeightView rowMajor{matrix.data(), type, cols, rows};
        const auto groups = interleaved(rowMajor);
        WeightView view{groups.data(), type, cols, rows};
        view.interleavedRows = true;
        ThreadPool pool(3);
        std::vector<uint8_t> activations(matMulActivationBytes(cols, size_t(tokens)));
        const MatMulScratch scratch{activations.data()};
        std::vector<float> expected(size_t(tokens) * rows), actual(expected.size()), single(rows);
        matMul(rowMajor, x.data(), size_t(tokens), expected.data(), pool, scratch);
        matMul(view, x.data(), size_t(tokens), actual.data(), pool, scratch);
        for (size_t t = 0; t < size_t(tokens); ++t) {
            matVec(view, x.data() + t * cols, single.data(), pool, scratch);
            for (size_t r = 0; r < rows; ++r) {
                std::vector<float> w(cols);
                dequantizeRow(type, rowMajor.row(r), w.data(), cols);
                double magnitude = 0.0;
                for (size_t i = 0; i < cols; ++i) magnitude += std::abs(double(w[i]) * double(x[t * cols + i]));
                QVERIFY2(std::abs(double(actual[t * rows + r]) - double(expected[t * rows + r])) <= 1e-5 * magnitude,
                         qPrintable(QString("token %1 row %2: %3 vs row-major %4").arg(t).arg(r).arg(actual[t * rows + r]).arg(expected[t * rows + r])));
                QCOMPARE(single[r], actual[t * rows + r]);
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestInterleavedRows)
#include "tst_interleaved_rows.moc"
