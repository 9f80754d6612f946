// The 8-bit KV cache (KvCacheType::Q8_0) on the device: RoPE writes blocks of 32 with Q8_0's
// rounding (compared with inference/quant's Q8_0 quantizer on the CPU-rotated keys), and both
// attention kernels read them (compared with attention in fp32 over the dequantized cache).
#include "inference/cpu/Kernels.h"
#include "inference/quant/BlockFormats.h"
#include "inference/quant/Fp16.h"
#include "inference/quant/Quantize.h"
#include "inference/vulkan/Kernels.h"
#include "tests/vulkan/VulkanTestSupport.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace lucent;
using namespace lucent::vk;

namespace {

/// A cache of `capacity` rows of kvDim floats in the device's 8-bit layout (every row's int8
/// quants, then one fp32 scale per block), and its values dequantized.
struct EightBitCache {
    std::vector<uint8_t> bytes;
    std::vector<float> dequantized;
};

EightBitCache quantizeCache(const std::vector<float>& rows, uint32_t kvDim, uint32_t capacity) {
    const size_t elements = size_t(capacity) * kvDim, blocks = elements / 32;
    std::vector<float> padded(elements, 0.0f);
    std::copy(rows.begin(), rows.end(), padded.begin());
    const auto q8 = quantize(TensorType::Q8_0, padded, kvDim);
    const auto* block = reinterpret_cast<const BlockQ8_0*>(q8.data());
    EightBitCache cache{std::vector<uint8_t>(elements + blocks * 4), std::vector<float>(elements)};
    for (size_t b = 0; b < blocks; ++b) {
        const float scale = halfToFloat(block[b].d);
        std::memcpy(cache.bytes.data() + b * 32, block[b].qs, 32);
        std::memcpy(cache.bytes.data() + elements + b * 4, &scale, 4);
        for (size_t j = 0; j < 32; ++j) cache.dequantized[b * 32 + j] = scale * float(block[b].qs[j]);
    }
    return cache;
}

std::vector<float> dequantizeDevice(const DeviceBuffer& buffer, uint32_t kvDim, uint32_t capacity) {
    const size_t elements = size_t(capacity) * kvDim;
    const auto* quants = reinterpret_cast<const int8_t*>(buffer.mapped());
    const auto* scales = reinterpret_cast<const float*>(buffer.mapped() + elements);
    std::vector<float> values(elements);
    for (size_t i = 0; i < elements; ++i) values[i] = scales[i / 32] * float(quants[i]);
    return values;
}

/// softmax(q·kᵀ/√d)·v of one query head over positions [0, kvLen), in fp32.
void attendFloat(const float* query, const std::vector<float>& keys, const std::vector<float>& values, uint32_t kvDim, uint32_t kvOffset,
                 uint32_t headDim, uint32_t kvLen, float* out) {
    std::vector<double> scores(kvLen);
    double best = -1e300;
    for (uint32_t p = 0; p < kvLen; ++p) {
        double s = 0;
        for (uint32_t d = 0; d < headDim; ++d) s += double(query[d]) * keys[size_t(p) * kvDim + kvOffset + d];
        scores[p] = s / std::sqrt(double(headDim));
        best = std::max(best, scores[p]);
    }
    double total = 0;
    for (double& s : scores) total += (s = std::exp(s - best));
    for (uint32_t d = 0; d < headDim; ++d) {
        double acc = 0;
        for (uint32_t p = 0; p < kvLen; ++p) acc += scores[p] * values[size_t(p) * kvDim + kvOffset + d];
        out[d] = float(acc / total);
    }
}

} // namespace

Q_DECLARE_METATYPE(lucent::vk::AttentionVariant)

class TestVulkanKvCache : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TestGpu> gpu_;

    void run() {
        auto ran = gpu_->batch->submitAndWait();
        QVERIFY2(ran, ran ? "" : ran.error().message.c_str());
    }

private slots:
    void initTestCase() {
        std::string error;
        gpu_ = test::TestGpu::open(error);
        QVERIFY2(gpu_, error.c_str());
    }
    void cleanup() { QCOMPARE(gpu_->context->validationErrors(), 0); }
    void cleanupTestCase() { gpu_.reset(); }

    void sizesAndRefusals() {
        const HeadShape heads{12, 2, 128, 128, true};
        QCOMPARE(kvCacheBytes(heads.kvDim(), KvCacheType::F16, 4096), uint64_t(4096) * 256 * 2);
        QCOMPARE(kvCacheBytes(heads.kvDim(), KvCacheType::Q8_0, 4096), uint64_t(4096) * 256 * 36 / 32); // fp32 scales
        QVERIFY(!kvCacheUnsupported(heads, KvCacheType::Q8_0));
        const auto refused = kvCacheUnsupported(HeadShape{8, 2, 80, 80, true}, KvCacheType::Q8_0);
        QVERIFY(refused && refused->find("multiple of 32") != std::string::npos);
        QVERIFY(!kvCacheUnsupported(HeadShape{8, 2, 80, 80, true}, KvCacheType::F16));
    }

    // RoPE + the 8-bit write of 3 tokens at positions 70…72: the same blocks as the CPU's Q8_0
    // quantizer on the CPU-rotated keys, up to one quant step where x/d lands on a rounding edge.
    void ropeWritesEightBitBlocks() {
        const HeadShape shape{12, 2, 64, 64, true};
        const uint32_t tokens = 3, pos0 = 70, capacity = 80, qDim = shape.nHead * shape.headDim, kvDim = shape.kvDim();
        const float base = 1000000.0f;
        const auto q = test::randomFloats(qDim * tokens, 5), k = test::randomFloats(kvDim * tokens, 6, -3.0f, 3.0f),
                   v = test::randomFloats(kvDim * tokens, 7);
        std::vector<float> table(ropeTableFloats(shape, tokens));
        fillRopeTable(table.data(), shape, pos0, tokens, base, nullptr);
        auto qBuffer = gpu_->upload(q);
        auto kBuffer = gpu_->upload(k);
        auto vBuffer = gpu_->upload(v);
        auto tableBuffer = gpu_->upload(table);
        const uint64_t cacheBytes = kvCacheBytes(kvDim, KvCacheType::Q8_0, capacity);
        auto keyCache = gpu_->zeros(cacheBytes), valueCache = gpu_->zeros(cacheBytes);
        auto position = gpu_->position(pos0);
        gpu_->batch->begin();
        recordRopeKv(*gpu_->batch, shape, wholeBuffer(*position), tokens, wholeBuffer(*qBuffer), wholeBuffer(*kBuffer), wholeBuffer(*vBuffer),
                     {wholeBuffer(*keyCache), wholeBuffer(*valueCache), KvCacheType::Q8_0, capacity}, wholeBuffer(*tableBuffer));
        run();

        std::vector<float> rotated = k, keyRows(size_t(capacity) * kvDim, 0.0f), valueRows(keyRows.size(), 0.0f);
        for (uint32_t t = 0; t < tokens; ++t) {
            lucent::rope(rotated.data() + t * kvDim, int(shape.nHeadKv), int(shape.headDim), int(shape.nRot), int(pos0 + t),
                         RopePairing::Neox, base, nullptr);
            std::copy_n(rotated.data() + t * kvDim, kvDim, keyRows.data() + (pos0 + t) * kvDim);
            std::copy_n(v.data() + t * kvDim, kvDim, valueRows.data() + (pos0 + t) * kvDim);
        }
        const auto cpuKeys = quantizeCache(keyRows, kvDim, capacity), cpuValues = quantizeCache(valueRows, kvDim, capacity);
        const auto gpuKeys = dequantizeDevice(*keyCache, kvDim, capacity), gpuValues = dequantizeDevice(*valueCache, kvDim, capacity);
        size_t equal = 0;
        for (size_t i = 0; i < gpuKeys.size(); ++i) {
            const size_t block = i / 32;
            float step = 0;
            std::memcpy(&step, cpuKeys.bytes.data() + gpuKeys.size() + block * 4, 4);
            QVERIFY2(std::fabs(gpuKeys[i] - cpuKeys.dequantized[i]) <= step * 1.001f + 1e-7f,
                     qPrintable(QString("key element %1: %2 vs %3").arg(i).arg(gpuKeys[i]).arg(cpuKeys.dequantized[i])));
            equal += gpuKeys[i] == cpuKeys.dequantized[i];
        }
        qInfo("8-bit keys equal to the CPU's Q8_0: %zu of %zu", equal, gpuKeys.size());
        QVERIFY(equal >= gpuKeys.size() * 99 / 100);
        QVERIFY(gpuValues == cpuValues.dequantized); // values are not rotated: the same rounding
        // the query is rotated in place exactly as with the fp16 cache
        std::vector<float> cpuQ = q;
        for (uint32_t t = 0; t < tokens; ++t)
            lucent::rope(cpuQ.data() + t * qDim, int(shape.nHead), int(shape.headDim), int(shape.nRot), int(pos0 + t), RopePairing::Neox,
                         base, nullptr);
        QVERIFY(test::compare(test::readFloats(*qBuffer, cpuQ.size()), cpuQ).maxAbs < 1e-6);
    }

    void attentionReadsEightBitBlocks_data() {
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("kvLen");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<AttentionVariant>("variant");
        for (AttentionVariant variant : {AttentionVariant::Auto, AttentionVariant::Workgroup}) {
            const std::string kernel = variant == AttentionVariant::Auto ? "auto: " : "workgroup kernel: ";
            auto row = [&](const char* name) -> QTestData& { return QTest::newRow((kernel + name).c_str()); };
            row("head 128, 1000 positions") << 128 << 1000 << 1 << variant;
            row("head 64, 37 positions") << 64 << 37 << 1 << variant;
            row("head 96, 200 positions") << 96 << 200 << 1 << variant;
            row("head 128, batch of 9 after 70") << 128 << 70 << 9 << variant;
        }
    }
    void attentionReadsEightBitBlocks() {
        QFETCH(int, headDim);
        QFETCH(int, kvLen);
        QFETCH(int, tokens);
        QFETCH(AttentionVariant, variant);
        const HeadShape shape{12, 2, uint32_t(headDim), uint32_t(headDim), true};
        const uint32_t positions = uint32_t(kvLen + tokens - 1), kvDim = shape.kvDim(), splits = tokens == 1 ? attentionSplits(uint32_t(kvLen)) : 4;
        const size_t queryFloats = size_t(shape.nHead) * shape.headDim;
        const auto q = test::randomFloats(queryFloats * size_t(tokens), 11, -2.0f, 2.0f);
        const auto keys = quantizeCache(test::randomFloats(size_t(positions) * kvDim, 12, -2.0f, 2.0f), kvDim, positions);
        const auto values = quantizeCache(test::randomFloats(size_t(positions) * kvDim, 13), kvDim, positions);
        auto qBuffer = gpu_->upload(q);
        auto keyCache = gpu_->upload(keys.bytes), valueCache = gpu_->upload(values.bytes);
        auto partials = gpu_->zeros(attentionPartialBytes(shape, splits, uint32_t(tokens)));
        auto out = gpu_->zeros(q.size() * 4);
        auto position = gpu_->position(uint32_t(kvLen - 1));
        gpu_->batch->begin();
        recordAttention(*gpu_->batch, shape, wholeBuffer(*position), splits, wholeBuffer(*qBuffer),
                        {wholeBuffer(*keyCache), wholeBuffer(*valueCache), KvCacheType::Q8_0, positions}, wholeBuffer(*partials),
                        wholeBuffer(*out), uint32_t(tokens), variant);
        run();

        std::vector<float> cpu(q.size());
        const uint32_t group = shape.nHead / shape.nHeadKv;
        for (int t = 0; t < tokens; ++t)
            for (uint32_t h = 0; h < shape.nHead; ++h) {
                const size_t at = size_t(t) * queryFloats + size_t(h) * shape.headDim;
                attendFloat(q.data() + at, keys.dequantized, values.dequantized, kvDim, (h / group) * shape.headDim, shape.headDim,
                            uint32_t(kvLen + t), cpu.data() + at);
            }
        const auto d = test::compare(test::readFloats(*out, cpu.size()), cpu);
        qInfo("%u splits: max |diff| %.3g, NMSE %.3g", splits, d.maxAbs, d.nmse);
        QVERIFY(d.maxAbs < 1e-5 && d.nmse < 1e-9);
    }
};

QTEST_GUILESS_MAIN(TestVulkanKvCache)
#include "tst_vulkan_kv_cache.moc"
