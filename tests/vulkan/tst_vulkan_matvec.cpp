// Matrix-vector products, the tiled matrix-matrix products of prompt batches, and embedding
// lookups for every weight type on the device, against the exact dot products of the dequantized
// rows and against the CPU backend's matMul (which rounds activations to 8-bit blocks for
// quantized weights, as llama.cpp does). Shapes are not multiples of the workgroup or of the
// 64-row × 32-token tile, K = 256·m; one case per type splits the weights across several bindings.
#include "inference/cpu/MatMul.h"
#include "inference/cpu/QuantizedActivations.h"
#include "inference/cpu/ThreadPool.h"
#include "inference/quant/Dequantize.h"
#include "inference/quant/Quantize.h"
#include "inference/vulkan/Kernels.h"
#include "tests/vulkan/VulkanTestSupport.h"

#include <QTest>

#include <cmath>
#include <cstring>

using namespace lucent;
using namespace lucent::vk;

Q_DECLARE_METATYPE(lucent::TensorType)

namespace {

constexpr TensorType kAllTypes[] = {TensorType::F32,  TensorType::F16,  TensorType::BF16, TensorType::Q8_0,
                                    TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1,
                                    TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K};

/// A random matrix in `type` and its dequantized fp32 copy.
struct TestMatrix {
    TensorType type;
    uint64_t cols, rows;
    std::vector<uint8_t> bytes;
    std::vector<float> dequantized;
};

TestMatrix makeMatrix(TensorType type, uint64_t cols, uint64_t rows, uint32_t seed) {
    TestMatrix m{type, cols, rows, {}, {}};
    const std::vector<float> values = test::randomFloats(cols * rows, seed);
    m.bytes = quantize(type, values, cols);
    m.dequantized.resize(cols * rows);
    for (uint64_t r = 0; r < rows; ++r)
        dequantizeRow(type, m.bytes.data() + r * rowBytes(type, cols), m.dequantized.data() + r * cols, cols);
    return m;
}

/// The matrix resident on the device (uploaded through the real uploader).
std::unique_ptr<TensorStore> toDevice(test::TestGpu& gpu, const TestMatrix& m) {
    const std::vector<TensorShape> shapes{{"w", m.type, m.cols, m.rows}};
    auto store = TensorStore::create(*gpu.context, shapes);
    if (!store) return nullptr;
    auto uploader = StagingUploader::create(*gpu.context, 1 << 16, 2);
    if (!uploader || !(*store)->upload(**uploader, 0, m.bytes.data()) || !(*uploader)->finish()) return nullptr;
    return std::move(*store);
}

std::unique_ptr<test::TestGpu> openGpu(uint64_t forceMaxBindingBytes = 0) {
    ContextOptions options;
    options.forceMaxBindingBytes = forceMaxBindingBytes;
    std::string error;
    auto gpu = test::TestGpu::open(error, options);
    if (!gpu) qWarning("%s", error.c_str());
    return gpu;
}

} // namespace

class TestVulkanMatVec : public QObject {
    Q_OBJECT
private slots:
    void matchesCpu_data() {
        QTest::addColumn<TensorType>("type");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<bool>("split");
        QTest::addColumn<bool>("tiled"); // recordMatMul instead of recordMatVec
        for (TensorType type : kAllTypes) {
            const std::string name(tensorTypeName(type));
            QTest::newRow((name + " 512x37").c_str()) << type << 512 << 37 << 1 << false << false;
            QTest::newRow((name + " 768x5, 3 tokens").c_str()) << type << 768 << 5 << 3 << false << false;
            // a prompt batch through the mat-vec (lavapipe: 8 tokens a workgroup, the last group partly empty)
            QTest::newRow((name + " 512x37, 19 tokens").c_str()) << type << 512 << 37 << 19 << false << false;
            QTest::newRow((name + " 256x37 split in 8-row bindings").c_str()) << type << 256 << 37 << 2 << true << false;
            QTest::newRow((name + " tiled 512x70, 45 tokens").c_str()) << type << 512 << 70 << 45 << false << true;
            QTest::newRow((name + " tiled 256x37 split, 33 tokens").c_str()) << type << 256 << 37 << 33 << true << true;
        }
        QTest::newRow("F32 100x9 (cols not a multiple of 32)") << TensorType::F32 << 100 << 9 << 2 << false << false;
        QTest::newRow("F32 tiled 100x9, 3 tokens") << TensorType::F32 << 100 << 9 << 3 << false << true;
        QTest::newRow("F16 70x9") << TensorType::F16 << 70 << 9 << 1 << false << false;
        QTest::newRow("F16 tiled 70x130, 64 tokens") << TensorType::F16 << 70 << 130 << 64 << false << true;
        // 5 rows of 210 bytes: the range ends mid-word, and the last row's scale lies in that word
        QTest::newRow("Q6_K 256x5") << TensorType::Q6_K << 256 << 5 << 1 << false << false;
        QTest::newRow("Q6_K tiled 256x5, 2 tokens") << TensorType::Q6_K << 256 << 5 << 2 << false << true;
        // an odd number of blocks per row: the pair-of-blocks mat-vec hands these to the tiled kernel
        QTest::newRow("Q4_0 96x7 (3 blocks a row)") << TensorType::Q4_0 << 96 << 7 << 1 << false << false;
        QTest::newRow("Q8_0 160x7 (5 blocks a row)") << TensorType::Q8_0 << 160 << 7 << 1 << false << false;
    }

    // The mat-vec's epilogues against the exact sums: y = W·x + bias + y₀ (qwen2's biases and the
    // residual add) and out = silu(G·x)·(U·x) (SwiGLU's input from both matrices at once); with the
    // RMSNorm prologue (FusedRmsNorm) x is rmsNorm(x)·norm first, computed here in fp64.
    void epilogues_data() {
        QTest::addColumn<TensorType>("type");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("rows");
        QTest::addColumn<bool>("split");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<bool>("normalized");
        for (TensorType type : {TensorType::F32, TensorType::F16, TensorType::Q4_0, TensorType::Q8_0, TensorType::Q5_0, TensorType::Q4_K,
                                TensorType::Q5_K, TensorType::Q6_K})
            for (bool normalized : {false, true}) {
                const std::string name = std::string(tensorTypeName(type)) + (normalized ? " rmsnorm" : "");
                QTest::newRow((name + " 512x37").c_str()) << type << 512 << 37 << false << 1 << normalized;
                QTest::newRow((name + " 256x37 split in 8-row bindings").c_str()) << type << 256 << 37 << true << 1 << normalized;
                QTest::newRow((name + " 256x37, 11 tokens").c_str()) << type << 256 << 37 << false << 11 << normalized;
            }
    }
    void epilogues() {
        QFETCH(TensorType, type);
        QFETCH(int, cols);
        QFETCH(int, rows);
        QFETCH(bool, split);
        QFETCH(int, tokens);
        QFETCH(bool, normalized);
        const TestMatrix g = makeMatrix(type, uint64_t(cols), uint64_t(rows), 11), u = makeMatrix(type, uint64_t(cols), uint64_t(rows), 12);
        auto gpu = openGpu(split ? rowBytes(type, uint64_t(cols)) * 8 : 0);
        QVERIFY(gpu);
        auto gStore = toDevice(*gpu, g), uStore = toDevice(*gpu, u);
        QVERIFY(gStore && uStore);
        const size_t n = size_t(tokens), outputs = size_t(rows) * n;
        const float eps = 1e-6f;
        const std::vector<float> x = test::randomFloats(size_t(cols) * n, 3, -3.0f, 3.0f), bias = test::randomFloats(size_t(rows), 4),
                                 y0 = test::randomFloats(outputs, 5), norm = test::randomFloats(size_t(cols), 6, 0.5f, 2.0f);
        auto xBuffer = gpu->upload(x), biasBuffer = gpu->upload(bias), yBuffer = gpu->upload(y0), normBuffer = gpu->upload(norm);
        auto gatedBuffer = gpu->zeros(outputs * 4), scratch = gpu->zeros(outputs * 4);
        const BufferRange biasRange = wholeBuffer(*biasBuffer);
        const FusedRmsNorm fused{wholeBuffer(*normBuffer), eps};
        const FusedRmsNorm* prologue = normalized ? &fused : nullptr;
        gpu->batch->begin();
        recordMatVec(*gpu->batch, gStore->tensor(0), wholeBuffer(*xBuffer), wholeBuffer(*yBuffer), uint32_t(tokens), {&biasRange, true, prologue});
        recordGatedMatVec(*gpu->batch, gStore->tensor(0), uStore->tensor(0), wholeBuffer(*xBuffer), wholeBuffer(*gatedBuffer),
                          wholeBuffer(*scratch), uint32_t(tokens), prologue);
        auto ran = gpu->batch->submitAndWait();
        QVERIFY2(ran, ran ? "" : ran.error().message.c_str());
        std::vector<float> expectedY(outputs), expectedGated(outputs);
        for (size_t t = 0; t < n; ++t) {
            double squares = 0.0;
            for (size_t c = 0; c < size_t(cols); ++c) squares += double(x[t * size_t(cols) + c]) * x[t * size_t(cols) + c];
            const double scale = 1.0 / std::sqrt(squares / cols + eps);
            for (size_t r = 0; r < size_t(rows); ++r) {
                double gx = 0.0, ux = 0.0;
                for (size_t c = 0; c < size_t(cols); ++c) {
                    const double xc = double(x[t * size_t(cols) + c]) * (normalized ? scale * norm[c] : 1.0);
                    gx += double(g.dequantized[r * size_t(cols) + c]) * xc;
                    ux += double(u.dequantized[r * size_t(cols) + c]) * xc;
                }
                const size_t i = t * size_t(rows) + r;
                expectedY[i] = float(gx + double(bias[r]) + double(y0[i]));
                expectedGated[i] = float(gx / (1.0 + std::exp(-gx)) * ux);
            }
        }
        const auto dy = test::compare(test::readFloats(*yBuffer, outputs), expectedY);
        const auto dg = test::compare(test::readFloats(*gatedBuffer, outputs), expectedGated);
        qInfo("bias + residual: max |diff| %.3g (NMSE %.3g); gated: max |diff| %.3g (NMSE %.3g)", dy.maxAbs, dy.nmse, dg.maxAbs, dg.nmse);
        QVERIFY(dy.maxAbs < 1e-4 && dy.nmse < 1e-10);
        QVERIFY(dg.maxAbs < 1e-3 && dg.nmse < 1e-10);
        QCOMPARE(gpu->context->validationErrors(), 0);
    }

    void matchesCpu() {
        QFETCH(TensorType, type);
        QFETCH(int, cols);
        QFETCH(int, rows);
        QFETCH(int, tokens);
        QFETCH(bool, split);
        QFETCH(bool, tiled);
        const TestMatrix m = makeMatrix(type, uint64_t(cols), uint64_t(rows), uint32_t(cols * 31 + rows));
        auto gpu = openGpu(split ? rowBytes(type, uint64_t(cols)) * 8 : 0);
        QVERIFY(gpu);
        auto store = toDevice(*gpu, m);
        QVERIFY(store);
        if (split) QCOMPARE((*store).tensor(0).slices.size(), size_t((rows + 7) / 8));

        const std::vector<float> x = test::randomFloats(size_t(cols) * size_t(tokens), 7);
        auto xBuffer = gpu->upload(x);
        auto yBuffer = gpu->zeros(uint64_t(rows) * uint64_t(tokens) * 4);
        gpu->batch->begin();
        if (tiled) recordMatMul(*gpu->batch, store->tensor(0), wholeBuffer(*xBuffer), wholeBuffer(*yBuffer), uint32_t(tokens));
        else recordMatVec(*gpu->batch, store->tensor(0), wholeBuffer(*xBuffer), wholeBuffer(*yBuffer), uint32_t(tokens));
        auto ran = gpu->batch->submitAndWait();
        QVERIFY2(ran, ran ? "" : ran.error().message.c_str());
        const std::vector<float> y = test::readFloats(*yBuffer, size_t(rows) * size_t(tokens));

        // exact: dequantized rows · x in double; the bound is fp32 rounding of Σ|w·x|: 2e-6 for the
        // mat-vec's tree-shaped sums, (cols − 1)·2⁻²⁴ — recursive summation's worst case — for the
        // tile's running sums along K
        const double relative = tiled ? std::max(2e-6, double(cols - 1) * 0x1p-24) : 2e-6;
        std::vector<float> exact(y.size());
        double worstExcess = 0.0;
        for (int t = 0; t < tokens; ++t)
            for (int r = 0; r < rows; ++r) {
                double sum = 0.0, magnitude = 0.0;
                for (int c = 0; c < cols; ++c) {
                    const double p = double(m.dequantized[size_t(r) * size_t(cols) + size_t(c)]) * double(x[size_t(t) * size_t(cols) + size_t(c)]);
                    sum += p;
                    magnitude += std::abs(p);
                }
                const size_t i = size_t(t) * size_t(rows) + size_t(r);
                exact[i] = float(sum);
                worstExcess = std::max(worstExcess, std::abs(double(y[i]) - sum) / (relative * magnitude + 1e-7));
            }
        const auto vsExact = test::compare(y, exact);

        // the CPU backend
        ThreadPool pool(1);
        std::vector<uint8_t> activations(matMulActivationBytes(size_t(cols), size_t(tokens)));
        std::vector<float> cpu(y.size());
        const WeightView view{m.bytes.data(), type, uint64_t(cols), uint64_t(rows)};
        matMul(view, x.data(), size_t(tokens), cpu.data(), pool, MatMulScratch{activations.data()});
        const auto vsCpu = test::compare(y, cpu);
        qInfo("vs exact: max |diff| %.3g (NMSE %.3g); vs CPU backend: max |diff| %.3g, NMSE %.3g", vsExact.maxAbs, vsExact.nmse,
              vsCpu.maxAbs, vsCpu.nmse);
        QVERIFY2(worstExcess <= 1.0, "a row differs from the exact product by more than fp32 rounding of Σ|w·x|");
        QVERIFY(vsCpu.nmse < 5e-4); // ggml test-backend-ops' mul_mat tolerance
        QCOMPARE(gpu->context->validationErrors(), 0);
    }

    // The integer dot-product mat-mul (where the device has integer dot products at all): x in
    // 8-bit blocks must be what the CPU backend's activation quantizer makes, and y the exact
    // product of the dequantized rows with those blocks, up to fp32 rounding of the per-block
    // scaling; for Q4_0/Q8_0 the CPU backend computes the same integer sums.
    void integerDotMatMul_data() {
        QTest::addColumn<TensorType>("type");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<bool>("split");
        for (TensorType type : {TensorType::Q4_0, TensorType::Q8_0, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K}) {
            const std::string name(tensorTypeName(type));
            QTest::newRow((name + " 512x70, 45 tokens").c_str()) << type << 512 << 70 << 45 << false;
            QTest::newRow((name + " 256x37 split in 8-row bindings, 33 tokens").c_str()) << type << 256 << 37 << 33 << true;
            if (type == TensorType::Q4_0 || type == TensorType::Q8_0)
                QTest::newRow((name + " 96x7 (3 blocks a row), 3 tokens").c_str()) << type << 96 << 7 << 3 << false;
            QTest::newRow((name + " 1024x130, 64 tokens").c_str()) << type << 1024 << 130 << 64 << false;
        }
    }
    void integerDotMatMul() {
        QFETCH(TensorType, type);
        QFETCH(int, cols);
        QFETCH(int, rows);
        QFETCH(int, tokens);
        QFETCH(bool, split);
        const TestMatrix m = makeMatrix(type, uint64_t(cols), uint64_t(rows), uint32_t(cols * 17 + rows));
        auto gpu = openGpu(split ? rowBytes(type, uint64_t(cols)) * 8 : 0);
        QVERIFY(gpu);
        if (!gpu->context->info().caps.integerDotProduct) QSKIP("the device has no integer dot product");
        QVERIFY(integerDotAvailable(gpu->context->info(), type));
        QVERIFY(!integerDotAvailable(gpu->context->info(), TensorType::Q4_1));
        qputenv("LUCENT_VK_INTEGER_DOT", "1"); // forced on where available, off by 0
        QVERIFY(matMulUsesIntegerDot(gpu->context->info(), type));
        qputenv("LUCENT_VK_INTEGER_DOT", "0");
        QVERIFY(!matMulUsesIntegerDot(gpu->context->info(), type));
        qunsetenv("LUCENT_VK_INTEGER_DOT");
        auto store = toDevice(*gpu, m);
        QVERIFY(store);

        const size_t n = size_t(tokens), c = size_t(cols), blocks = c / 32;
        std::vector<float> x = test::randomFloats(c * n, 8, -3.0f, 3.0f);
        std::fill_n(x.begin() + 32, 32, 0.0f); // an all-zero block: d = 0
        auto xBuffer = gpu->upload(x);
        auto xqBuffer = gpu->zeros(quantizedActivationBytes(uint32_t(cols)) * n);
        auto yBuffer = gpu->zeros(uint64_t(rows) * n * 4);
        const BufferRange xq = wholeBuffer(*xqBuffer);
        gpu->batch->begin();
        recordQuantizeActivations(*gpu->batch, wholeBuffer(*xBuffer), xq, uint32_t(cols), uint32_t(tokens));
        gpu->batch->barrier();
        recordMatMul(*gpu->batch, store->tensor(0), wholeBuffer(*xBuffer), wholeBuffer(*yBuffer), uint32_t(tokens), &xq);
        auto ran = gpu->batch->submitAndWait();
        QVERIFY2(ran, ran ? "" : ran.error().message.c_str());

        // the 8-bit blocks (32 quants, then d as a float) against the CPU backend's activation blocks
        // (the same rounding, half away from zero): equal on lavapipe, whose division is IEEE's; a GPU's
        // may be 2.5 ulp off, so there a quant may differ by one step and d by one fp16 step
        const std::vector<float> xqWords = test::readFloats(*xqBuffer, blocks * n * 9);
        std::vector<uint8_t> cpuBytes(quantizedActivationBytes(TensorType::Q8_0, c * n));
        QCOMPARE(cpuBytes.size(), blocks * n * sizeof(ActivationBlock32));
        quantizeActivations(TensorType::Q8_0, x.data(), c * n, cpuBytes.data());
        const auto* cpuBlocks = reinterpret_cast<const ActivationBlock32*>(cpuBytes.data());
        const bool exact = gpu->context->info().kind == DeviceKind::Cpu;
        size_t differentQuants = 0, differentScales = 0;
        for (size_t b = 0; b < blocks * n; ++b) {
            const float d = xqWords[b * 9 + 8];
            differentScales += d != cpuBlocks[b].d;
            QVERIFY(std::abs(d - cpuBlocks[b].d) <= cpuBlocks[b].d * 0x1p-10f);
            int8_t quants[32];
            std::memcpy(quants, &xqWords[b * 9], 32);
            for (size_t j = 0; j < 32; ++j) {
                differentQuants += quants[j] != cpuBlocks[b].qs[j];
                QVERIFY(std::abs(int(quants[j]) - int(cpuBlocks[b].qs[j])) <= 1);
            }
        }
        qInfo("8-bit blocks: %zu of %zu scales and %zu of %zu quants differ from the CPU's", differentScales, blocks * n, differentQuants,
              blocks * n * 32);
        if (exact) QCOMPARE(differentScales + differentQuants, size_t(0));
        else QVERIFY(differentQuants * 1000 <= blocks * n * 32);

        // y against the exact product with the blocks the device made
        std::vector<float> xHat(c * n);
        for (size_t b = 0; b < blocks * n; ++b) {
            int8_t quants[32];
            std::memcpy(quants, &xqWords[b * 9], 32);
            for (size_t j = 0; j < 32; ++j) xHat[b * 32 + j] = xqWords[b * 9 + 8] * float(quants[j]);
        }
        const std::vector<float> y = test::readFloats(*yBuffer, size_t(rows) * n);
        const double relative = double(blocks + 2) * 0x1p-24; // one rounding per block's scaled sum, and the two scales
        double worstExcess = 0.0;
        for (size_t t = 0; t < n; ++t)
            for (size_t r = 0; r < size_t(rows); ++r) {
                double sum = 0.0, magnitude = 0.0;
                for (size_t k = 0; k < c; ++k) {
                    const double p = double(m.dequantized[r * c + k]) * double(xHat[t * c + k]);
                    sum += p;
                    magnitude += std::abs(p);
                }
                worstExcess = std::max(worstExcess, std::abs(double(y[t * size_t(rows) + r]) - sum) / (relative * magnitude + 1e-7));
            }
        ThreadPool pool(1);
        std::vector<uint8_t> activations(matMulActivationBytes(c, n));
        std::vector<float> cpu(y.size());
        matMul(WeightView{m.bytes.data(), type, uint64_t(cols), uint64_t(rows)}, x.data(), n, cpu.data(), pool, MatMulScratch{activations.data()});
        const auto vsCpu = test::compare(y, cpu);
        qInfo("worst difference from the exact sums: %.3g of the fp32 bound; vs CPU backend: max |diff| %.3g, NMSE %.3g", worstExcess,
              vsCpu.maxAbs, vsCpu.nmse);
        QVERIFY2(worstExcess <= 1.0, "a row differs from the exact product by more than fp32 rounding");
        // Q4_0/Q8_0: the CPU backend sums the same 8-bit blocks; K-quants: it rounds x to Q8_K (blocks of 256)
        QVERIFY(vsCpu.nmse < (type == TensorType::Q4_0 || type == TensorType::Q8_0 ? 1e-10 : 5e-4));
        QCOMPARE(gpu->context->validationErrors(), 0);
    }

    void embedsEveryType_data() {
        QTest::addColumn<TensorType>("type");
        QTest::addColumn<bool>("split");
        QTest::addColumn<int>("cols");
        for (TensorType type : kAllTypes) {
            const std::string name(tensorTypeName(type));
            QTest::newRow((name + " 512").c_str()) << type << false << 512;
            QTest::newRow((name + " 768, split").c_str()) << type << true << 768; // odd block counts: rows only 2-byte aligned
        }
    }
    void embedsEveryType() {
        QFETCH(TensorType, type);
        QFETCH(bool, split);
        QFETCH(int, cols);
        constexpr uint64_t rows = 37;
        const TestMatrix m = makeMatrix(type, uint64_t(cols), rows, 99);
        auto gpu = openGpu(split ? rowBytes(type, uint64_t(cols)) * 5 : 0);
        QVERIFY(gpu);
        auto store = toDevice(*gpu, m);
        QVERIFY(store);
        const std::vector<uint32_t> ids{0, 36, 5, 17, 5, 35};
        auto idBuffer = gpu->upload(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(ids.data()), ids.size() * 4));
        auto out = gpu->zeros(ids.size() * uint64_t(cols) * 4);
        gpu->batch->begin();
        recordEmbed(*gpu->batch, store->tensor(0), wholeBuffer(*idBuffer), uint32_t(ids.size()), wholeBuffer(*out));
        QVERIFY(gpu->batch->submitAndWait());
        const std::vector<float> got = test::readFloats(*out, ids.size() * size_t(cols));
        std::vector<float> expected;
        for (uint32_t id : ids)
            expected.insert(expected.end(), m.dequantized.begin() + id * cols, m.dequantized.begin() + (id + 1) * cols);
        const auto d = test::compare(got, expected);
        qInfo("max |diff| %.3g", d.maxAbs);
        QVERIFY(d.maxAbs <= 1e-6); // values are ≤ ~1; only a fused multiply-add may round differently
        QCOMPARE(gpu->context->validationErrors(), 0);
    }
};

QTEST_GUILESS_MAIN(TestVulkanMatVec)
#include "tst_vulkan_matvec.moc"
