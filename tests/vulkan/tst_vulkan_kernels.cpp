// The per-vector kernels on the device against inference/cpu: RMSNorm, residual add, SwiGLU,
// RoPE writing the fp16 KV cache, attention over the cache, top-k. Each prints its largest
// difference; every test also asserts the validation layer stayed silent.
#include "inference/cpu/Attention.h"
#include "inference/cpu/Kernels.h"
#include "inference/quant/Fp16.h"
#include "inference/vulkan/Kernels.h"
#include "tests/vulkan/VulkanTestSupport.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

using namespace lucent;
using namespace lucent::vk;

namespace {

std::span<const uint8_t> bytesOf(const std::vector<uint16_t>& v) { return {reinterpret_cast<const uint8_t*>(v.data()), v.size() * 2}; }

std::vector<uint16_t> readHalfs(const DeviceBuffer& buffer, size_t count) {
    std::vector<uint16_t> values(count);
    std::memcpy(values.data(), buffer.mapped(), count * 2);
    return values;
}

std::vector<float> toFloats(const std::vector<uint16_t>& halfs) {
    std::vector<float> out(halfs.size());
    for (size_t i = 0; i < halfs.size(); ++i) out[i] = halfToFloat(halfs[i]);
    return out;
}

} // namespace

Q_DECLARE_METATYPE(lucent::vk::AttentionVariant)

class TestVulkanKernels : public QObject {
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

    void rmsNorm() {
        const uint32_t n = 1543, rows = 3;
        const auto x = test::randomFloats(n * rows, 1, -3.0f, 3.0f);
        const auto weight = test::randomFloats(n, 2, 0.5f, 1.5f);
        auto xBuffer = gpu_->upload(x);
        auto wBuffer = gpu_->upload(weight);
        auto out = gpu_->zeros(n * rows * 4);
        gpu_->batch->begin();
        recordRmsNorm(*gpu_->batch, wholeBuffer(*xBuffer), wholeBuffer(*wBuffer), wholeBuffer(*out), n, rows, 1e-6f);
        run();
        std::vector<float> cpu(x.size());
        for (uint32_t r = 0; r < rows; ++r) lucent::rmsNorm(cpu.data() + r * n, x.data() + r * n, weight.data(), n, 1e-6f);
        const auto d = test::compare(test::readFloats(*out, cpu.size()), cpu);
        qInfo("max |diff| %.3g, NMSE %.3g", d.maxAbs, d.nmse);
        QVERIFY(d.maxAbs < 2e-5); // fp32 sum of squares on the device, double on the CPU
    }

    void residualAddAndSwiglu() {
        const uint32_t n = 1000; // not a multiple of the workgroup
        const auto y = test::randomFloats(n, 3, -8.0f, 8.0f), x = test::randomFloats(n, 4, -8.0f, 8.0f);
        auto yBuffer = gpu_->upload(y);
        auto xBuffer = gpu_->upload(x);
        auto gate = gpu_->upload(y);
        gpu_->batch->begin();
        recordAdd(*gpu_->batch, wholeBuffer(*yBuffer), wholeBuffer(*xBuffer), n);
        recordSwiglu(*gpu_->batch, wholeBuffer(*gate), wholeBuffer(*xBuffer), n);
        run();
        std::vector<float> sum = y, glu = y;
        addInPlace(sum.data(), x.data(), n);
        swiglu(glu.data(), x.data(), n);
        const auto dAdd = test::compare(test::readFloats(*yBuffer, n), sum);
        const auto dGlu = test::compare(test::readFloats(*gate, n), glu);
        qInfo("add: max |diff| %.3g; swiglu: max |diff| %.3g (NMSE %.3g)", dAdd.maxAbs, dGlu.maxAbs, dGlu.nmse);
        QCOMPARE(dAdd.maxAbs, 0.0); // one rounding, same on both
        QVERIFY(dGlu.maxAbs < 1e-4 && dGlu.nmse < 1e-10); // the device's exp is a few ulp off
    }

    void ropeWritesTheKvCache_data() {
        QTest::addColumn<bool>("neox");
        QTest::addColumn<int>("nRot");
        QTest::addColumn<int>("pos0");
        QTest::addColumn<bool>("freqFactors");
        QTest::newRow("NEOX at 4093") << true << 64 << 4093 << false;
        QTest::newRow("NORM at 4093") << false << 64 << 4093 << false;
        QTest::newRow("NEOX, nRot 32 < head_dim, at 7") << true << 32 << 7 << false;
        QTest::newRow("NORM with llama-3 frequency factors at 5000") << false << 64 << 5000 << true;
    }
    void ropeWritesTheKvCache() {
        QFETCH(bool, neox);
        QFETCH(int, nRot);
        QFETCH(int, pos0);
        QFETCH(bool, freqFactors);
        const HeadShape shape{12, 2, 64, uint32_t(nRot), neox};
        const uint32_t tokens = 3, capacity = uint32_t(pos0) + 8, qDim = shape.nHead * shape.headDim, kvDim = shape.kvDim();
        const float base = 1000000.0f;
        const auto q = test::randomFloats(qDim * tokens, 5), k = test::randomFloats(kvDim * tokens, 6), v = test::randomFloats(kvDim * tokens, 7);
        const auto factors = test::randomFloats(shape.nRot / 2, 8, 1.0f, 8.0f);
        std::vector<float> table(ropeTableFloats(shape, tokens));
        fillRopeTable(table.data(), shape, uint32_t(pos0), tokens, base, freqFactors ? factors.data() : nullptr);

        auto qBuffer = gpu_->upload(q);
        auto kBuffer = gpu_->upload(k);
        auto vBuffer = gpu_->upload(v);
        auto tableBuffer = gpu_->upload(table);
        auto keyCache = gpu_->zeros(uint64_t(capacity) * kvDim * 2);
        auto valueCache = gpu_->zeros(uint64_t(capacity) * kvDim * 2);
        auto position = gpu_->position(uint32_t(pos0));
        gpu_->batch->begin();
        recordRopeKv(*gpu_->batch, shape, wholeBuffer(*position), tokens, wholeBuffer(*qBuffer), wholeBuffer(*kBuffer), wholeBuffer(*vBuffer),
                     {wholeBuffer(*keyCache), wholeBuffer(*valueCache), KvCacheType::F16, capacity}, wholeBuffer(*tableBuffer));
        run();

        // CPU: rope() per token on q and k, then k and v to fp16 at their positions
        std::vector<float> cpuQ = q, cpuK = k;
        std::vector<uint16_t> cpuKeys(size_t(capacity) * kvDim, 0), cpuValues(size_t(capacity) * kvDim, 0);
        const RopePairing pairing = neox ? RopePairing::Neox : RopePairing::Norm;
        for (uint32_t t = 0; t < tokens; ++t) {
            lucent::rope(cpuQ.data() + t * qDim, int(shape.nHead), int(shape.headDim), nRot, pos0 + int(t), pairing, base,
                         freqFactors ? factors.data() : nullptr);
            lucent::rope(cpuK.data() + t * kvDim, int(shape.nHeadKv), int(shape.headDim), nRot, pos0 + int(t), pairing, base,
                         freqFactors ? factors.data() : nullptr);
            toHalf(cpuKeys.data() + (size_t(pos0) + t) * kvDim, cpuK.data() + t * kvDim, kvDim);
            toHalf(cpuValues.data() + (size_t(pos0) + t) * kvDim, v.data() + t * kvDim, kvDim);
        }
        const auto dQ = test::compare(test::readFloats(*qBuffer, cpuQ.size()), cpuQ);
        const auto gpuKeys = readHalfs(*keyCache, cpuKeys.size()), gpuValues = readHalfs(*valueCache, cpuValues.size());
        const auto dK = test::compare(toFloats(gpuKeys), toFloats(cpuKeys));
        const auto dV = test::compare(toFloats(gpuValues), toFloats(cpuValues));
        qInfo("q: max |diff| %.3g; cached k: %.3g; cached v: %.3g", dQ.maxAbs, dK.maxAbs, dV.maxAbs);
        QVERIFY(dQ.maxAbs < 1e-6);
        // fp16 keys: at most one unit in the last place apart (rounding of the fp32 value), and
        // nothing written outside the three positions
        int maxUlp = 0;
        for (size_t i = 0; i < cpuKeys.size(); ++i) maxUlp = std::max(maxUlp, std::abs(int(gpuKeys[i]) - int(cpuKeys[i])));
        QVERIFY2(maxUlp <= 1, qPrintable(QString("keys differ by %1 fp16 ulp").arg(maxUlp)));
        QVERIFY(gpuValues == cpuValues);
    }

    void attentionOverTheCache_data() {
        QTest::addColumn<int>("nHead");
        QTest::addColumn<int>("nHeadKv");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("kvLen");
        QTest::addColumn<int>("splits"); // 0: attentionSplits()
        QTest::addColumn<int>("tokens"); // a prompt batch: token t over kvLen + t positions
        QTest::addColumn<AttentionVariant>("variant");
        for (AttentionVariant variant : {AttentionVariant::Auto, AttentionVariant::Workgroup}) {
            const std::string kernel = variant == AttentionVariant::Auto ? "auto: " : "workgroup kernel: ";
            auto row = [&](const char* name) -> QTestData& { return QTest::newRow((kernel + name).c_str()); };
            row("GQA 6, head 64, 1000 positions, default splits") << 12 << 2 << 64 << 1000 << 0 << 1 << variant;
            row("GQA 7, head 128, 333 positions, 7 splits") << 14 << 2 << 128 << 333 << 7 << 1 << variant;
            row("GQA 7, head 64, 37 positions, 3 splits") << 7 << 1 << 64 << 37 << 3 << 1 << variant;
            row("GQA 6, head 128, 1 position") << 6 << 1 << 128 << 1 << 0 << 1 << variant;
            row("more splits than positions") << 12 << 2 << 64 << 5 << 8 << 1 << variant;
            row("GQA 16 (two workgroups per KV head), head 128, 300 positions") << 32 << 2 << 128 << 300 << 0 << 1 << variant;
            row("GQA 4, head 256, 4100 positions (a long trace)") << 8 << 2 << 256 << 4100 << 0 << 1 << variant;
            row("GQA 6, head 96 (not a multiple of 64), 200 positions") << 12 << 2 << 96 << 200 << 0 << 1 << variant;
            row("GQA 6, head 128, batch of 9 tokens after 70 positions") << 12 << 2 << 128 << 70 << 4 << 9 << variant;
        }
    }
    void attentionOverTheCache() {
        QFETCH(int, nHead);
        QFETCH(int, nHeadKv);
        QFETCH(int, headDim);
        QFETCH(int, kvLen);
        QFETCH(int, splits);
        QFETCH(int, tokens);
        QFETCH(AttentionVariant, variant);
        const HeadShape shape{uint32_t(nHead), uint32_t(nHeadKv), uint32_t(headDim), uint32_t(headDim), true};
        const uint32_t useSplits = splits ? uint32_t(splits) : attentionSplits(uint32_t(kvLen));
        const size_t queryFloats = size_t(nHead) * size_t(headDim), positions = size_t(kvLen + tokens - 1);
        const auto q = test::randomFloats(queryFloats * size_t(tokens), 11, -2.0f, 2.0f);
        std::vector<uint16_t> keys(positions * shape.kvDim()), values(keys.size());
        const auto kf = test::randomFloats(keys.size(), 12, -2.0f, 2.0f), vf = test::randomFloats(values.size(), 13);
        toHalf(keys.data(), kf.data(), keys.size());
        toHalf(values.data(), vf.data(), values.size());

        auto qBuffer = gpu_->upload(q);
        auto keyCache = gpu_->upload(bytesOf(keys));
        auto valueCache = gpu_->upload(bytesOf(values));
        auto partials = gpu_->zeros(attentionPartialBytes(shape, useSplits, uint32_t(tokens)));
        auto out = gpu_->zeros(q.size() * 4);
        auto position = gpu_->position(uint32_t(kvLen - 1)); // token 0 sees kvLen positions
        gpu_->batch->begin();
        recordAttention(*gpu_->batch, shape, wholeBuffer(*position), useSplits, wholeBuffer(*qBuffer),
                        {wholeBuffer(*keyCache), wholeBuffer(*valueCache), KvCacheType::F16, uint32_t(positions)}, wholeBuffer(*partials),
                        wholeBuffer(*out), uint32_t(tokens), variant);
        run();

        std::vector<float> cpu(q.size()), scores(positions);
        const AttentionInputs in{keys.data(), values.data(), shape.kvDim(), nHead, nHeadKv, headDim};
        for (int t = 0; t < tokens; ++t)
            for (int h = 0; h < nHead; ++h) {
                const size_t at = size_t(t) * queryFloats + size_t(h) * size_t(headDim);
                attendHead(in, h, q.data() + at, kvLen + t, scores.data(), cpu.data() + at);
            }
        const auto d = test::compare(test::readFloats(*out, cpu.size()), cpu);
        qInfo("%u splits: max |diff| %.3g, NMSE %.3g", useSplits, d.maxAbs, d.nmse);
        QVERIFY(d.maxAbs < 1e-5 && d.nmse < 1e-9);
    }

    // A Reusable recording runs again with new buffer contents: attention recorded once for the
    // position in a buffer, then run for another position and other queries without recording.
    void aReusableRecordingRunsAgainWithNewInputs() {
        const HeadShape shape{12, 2, 64, 64, true};
        const uint32_t positions = 300, splits = 3, queryFloats = shape.nHead * shape.headDim;
        std::vector<uint16_t> keys(size_t(positions) * shape.kvDim()), values(keys.size());
        const auto kf = test::randomFloats(keys.size(), 21, -2.0f, 2.0f), vf = test::randomFloats(values.size(), 22);
        toHalf(keys.data(), kf.data(), keys.size());
        toHalf(values.data(), vf.data(), values.size());
        auto keyCache = gpu_->upload(bytesOf(keys));
        auto valueCache = gpu_->upload(bytesOf(values));
        auto qBuffer = gpu_->zeros(queryFloats * 4);
        auto partials = gpu_->zeros(attentionPartialBytes(shape, splits));
        auto out = gpu_->zeros(queryFloats * 4);
        auto position = gpu_->position(0);
        auto recorded = ComputeBatch::create(*gpu_->context, *gpu_->pipelines);
        QVERIFY(recorded);
        ComputeBatch& batch = **recorded;
        QVERIFY(!batch.hasRecording());
        batch.begin(ComputeBatch::Recording::Reusable);
        recordAttention(batch, shape, wholeBuffer(*position), splits, wholeBuffer(*qBuffer),
                        {wholeBuffer(*keyCache), wholeBuffer(*valueCache), KvCacheType::F16, positions}, wholeBuffer(*partials),
                        wholeBuffer(*out));
        int seed = 30;
        for (uint32_t pos0 : {299u, 17u, 150u}) {
            const auto q = test::randomFloats(queryFloats, uint32_t(++seed), -2.0f, 2.0f);
            std::memcpy(qBuffer->mapped(), q.data(), q.size() * 4);
            std::memcpy(position->mapped(), &pos0, 4);
            auto ran = batch.submitAndWait();
            QVERIFY2(ran, ran ? "" : ran.error().message.c_str());
            QVERIFY(batch.hasRecording());
            std::vector<float> cpu(q.size()), scores(positions);
            const AttentionInputs in{keys.data(), values.data(), shape.kvDim(), int(shape.nHead), int(shape.nHeadKv), int(shape.headDim)};
            for (int h = 0; h < int(shape.nHead); ++h)
                attendHead(in, h, q.data() + h * shape.headDim, int(pos0) + 1, scores.data(), cpu.data() + h * shape.headDim);
            const auto d = test::compare(test::readFloats(*out, cpu.size()), cpu);
            qInfo("position %u, no new recording: max |diff| %.3g", pos0, d.maxAbs);
            QVERIFY(d.maxAbs < 1e-5);
        }
        batch.begin(); // a one-time recording drops the kept one
        batch.fill(wholeBuffer(*out), 0);
        QVERIFY(batch.submitAndWait());
        QVERIFY(!batch.hasRecording());
    }

    void topK_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("k");
        QTest::newRow("argmax of 50,000") << 50000 << 1;
        QTest::newRow("top 40 of 50,000") << 50000 << 40;
        QTest::newRow("top 256 of 3,000") << 3000 << 256;
        QTest::newRow("top 5 of 100 (one chunk)") << 100 << 5;
        QTest::newRow("top 8 of 5 (fewer than k)") << 5 << 8;
    }
    void topK() {
        QFETCH(int, n);
        QFETCH(int, k);
        // values on a coarse grid so ties are common: ties must come out lower index first
        std::vector<float> values = test::randomFloats(size_t(n), 21, -20.0f, 20.0f);
        for (float& v : values) v = std::round(v * 4.0f) / 4.0f;
        auto valueBuffer = gpu_->upload(values);
        auto scratch = gpu_->zeros(topKScratchBytes(*gpu_->context, uint32_t(n), uint32_t(k)));
        auto outValues = gpu_->zeros(uint64_t(k) * 4), outIds = gpu_->zeros(uint64_t(k) * 4);
        gpu_->batch->begin();
        recordTopK(*gpu_->batch, wholeBuffer(*valueBuffer), uint32_t(n), uint32_t(k), wholeBuffer(*scratch), wholeBuffer(*outValues),
                   wholeBuffer(*outIds));
        run();

        std::vector<uint32_t> order(static_cast<size_t>(n));
        std::iota(order.begin(), order.end(), 0u);
        std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return values[a] > values[b]; });
        std::vector<uint32_t> ids(static_cast<size_t>(k));
        std::memcpy(ids.data(), outIds->mapped(), ids.size() * 4);
        const auto gotValues = test::readFloats(*outValues, size_t(k));
        for (int i = 0; i < k; ++i) {
            if (i >= n) {
                QCOMPARE(ids[size_t(i)], 0xFFFFFFFFu); // nothing left to report
                continue;
            }
            QCOMPARE(ids[size_t(i)], order[size_t(i)]);
            QCOMPARE(gotValues[size_t(i)], values[order[size_t(i)]]);
        }
    }
};

QTEST_GUILESS_MAIN(TestVulkanKernels)
#include "tst_vulkan_kernels.moc"
