// The split planning on made-up devices and shapes: free memory from VK_EXT_memory_budget (budget −
// usage, less the margin) or the heap size, the user's cap, the largest split that fits, and the
// sentences for forced splits that cannot be.
#include "inference/hybrid/OffloadPlan.h"

#include <QTest>

using namespace lucent;

namespace {

constexpr uint64_t kMiB = uint64_t(1) << 20, kGiB = uint64_t(1) << 30;

vk::DeviceInfo deviceWith(std::vector<vk::MemoryHeap> heaps) {
    vk::DeviceInfo device;
    device.name = "Test GPU";
    device.caps.heaps = std::move(heaps);
    device.caps.maxStorageBufferRange = 128 * kMiB;
    device.caps.maxMemoryAllocationSize = 4 * kGiB;
    return device;
}

/// 10 MiB shared, 4 layers of 100 MiB, a 50 MiB head.
OffloadNeeds someNeeds() {
    OffloadNeeds needs;
    needs.sharedBytes = 10 * kMiB;
    needs.layerBytes = {100 * kMiB, 100 * kMiB, 100 * kMiB, 100 * kMiB};
    needs.headBytes = 50 * kMiB;
    return needs;
}

} // namespace

class TestOffloadPlan : public QObject {
    Q_OBJECT

private slots:
    void freeMemoryIsBudgetLessUsageLessMargin() {
        // a small system heap and a device-local one with 8 GiB budget, 1 GiB in use
        const auto device = deviceWith({{16 * kGiB, 16 * kGiB, 0, false}, {8 * kGiB, 8 * kGiB, kGiB, true}});
        const DeviceMemory memory = plannableMemory(device, std::nullopt);
        QCOMPARE(memory.marginBytes, 256 * kMiB + 8 * kGiB / 1000 * 20);
        QCOMPARE(memory.freeBytes, 7 * kGiB - memory.marginBytes);
        QVERIFY(!memory.capped);
        // the user's cap wins when it is lower, and is taken as it is
        const DeviceMemory capped = plannableMemory(device, 3 * kGiB);
        QCOMPARE(capped.freeBytes, 3 * kGiB);
        QVERIFY(capped.capped);
        // a cap above what is free changes nothing
        QCOMPARE(plannableMemory(device, 100 * kGiB).freeBytes, memory.freeBytes);
    }

    void withoutTheExtensionTheHeapSizeCounts() {
        // probeHeaps sets budget = size and usage = 0 without VK_EXT_memory_budget
        const auto device = deviceWith({{2 * kGiB, 2 * kGiB, 0, true}});
        const DeviceMemory memory = plannableMemory(device, std::nullopt);
        QCOMPARE(memory.freeBytes, 2 * kGiB - memory.marginBytes);
        // fully used, or no device-local heap at all: nothing is free
        QCOMPARE(plannableMemory(deviceWith({{2 * kGiB, 2 * kGiB, 2 * kGiB, true}}), std::nullopt).freeBytes, uint64_t(0));
        QCOMPARE(plannableMemory(deviceWith({{2 * kGiB, 2 * kGiB, 0, false}}), std::nullopt).freeBytes, uint64_t(0));
    }

    void bytesForASplit() {
        const OffloadNeeds needs = someNeeds();
        QCOMPARE(needs.bytesFor(0), uint64_t(0));
        QCOMPARE(needs.bytesFor(1), 110 * kMiB);
        QCOMPARE(needs.bytesFor(3), 310 * kMiB);
        QCOMPARE(needs.bytesFor(4), 460 * kMiB); // the head only with every layer
    }

    void largestSplitThatFits_data() {
        QTest::addColumn<qulonglong>("freeBytes");
        QTest::addColumn<uint>("layers");
        QTest::newRow("nothing") << qulonglong(0) << 0u;
        QTest::newRow("shared only") << qulonglong(10 * kMiB) << 0u;
        QTest::newRow("one byte short of one layer") << qulonglong(110 * kMiB - 1) << 0u;
        QTest::newRow("exactly one layer") << qulonglong(110 * kMiB) << 1u;
        QTest::newRow("exactly three") << qulonglong(310 * kMiB) << 3u;
        QTest::newRow("four layers but not the head") << qulonglong(459 * kMiB) << 3u;
        QTest::newRow("everything") << qulonglong(460 * kMiB) << 4u;
        QTest::newRow("plenty") << qulonglong(100 * kGiB) << 4u;
    }
    void largestSplitThatFits() {
        QFETCH(qulonglong, freeBytes);
        QFETCH(uint, layers);
        QCOMPARE(largestFit(someNeeds(), freeBytes), uint32_t(layers));
        DeviceMemory memory;
        memory.freeBytes = freeBytes;
        auto chosen = chooseGpuLayers(someNeeds(), memory, std::nullopt, "Test GPU");
        QVERIFY(chosen);
        QCOMPARE(*chosen, uint32_t(layers));
    }

    void forcedSplits() {
        DeviceMemory memory;
        memory.freeBytes = 250 * kMiB; // two layers
        auto two = chooseGpuLayers(someNeeds(), memory, 2u, "Test GPU");
        QVERIFY(two);
        QCOMPARE(*two, 2u);
        QCOMPARE(*chooseGpuLayers(someNeeds(), memory, 0u, "Test GPU"), 0u); // all on the CPU, by request

        auto three = chooseGpuLayers(someNeeds(), memory, 3u, "Test GPU");
        QVERIFY(!three);
        qInfo("%s", three.error().message.c_str());
        QVERIFY(three.error().message.find("3 layers on Test GPU need 310.0 MiB") != std::string::npos);
        QVERIFY(three.error().message.find("at most 2 fit") != std::string::npos);

        memory.freeBytes = 50 * kMiB;
        memory.capped = true;
        auto none = chooseGpuLayers(someNeeds(), memory, 1u, "Test GPU");
        QVERIFY(!none);
        qInfo("%s", none.error().message.c_str());
        QVERIFY(none.error().message.find("budget is 50.0 MiB") != std::string::npos);
        QVERIFY(none.error().message.find("not even one layer fits") != std::string::npos);

        auto tooMany = chooseGpuLayers(someNeeds(), memory, 5u, "Test GPU");
        QVERIFY(!tooMany);
        QVERIFY(tooMany.error().message.find("This model has 4 layers") != std::string::npos);
    }

    void contextPastTheBindingLimit() {
        ModelConfig config;
        config.nHeadKv = 2;
        config.headDim = 128; // kvDim 256: 512 bytes of K per position
        const auto device = deviceWith({{2 * kGiB, 2 * kGiB, 0, true}});
        QVERIFY(checkContextBinds(config, 262144, device)); // exactly 128 MiB
        auto refused = checkContextBinds(config, 262145, device);
        QVERIFY(!refused);
        QVERIFY(refused.error().message.find("choose a shorter context") != std::string::npos);
        // the 8-bit cache (1.125 bytes per element) binds up to 466,033 positions there
        QVERIFY(checkContextBinds(config, 466033, device, vk::KvCacheType::Q8_0));
        QVERIFY(!checkContextBinds(config, 466034, device, vk::KvCacheType::Q8_0));
    }

    // A layer's share is its weights and its K and V cache: 2 × 4096 × 256 × 2 bytes in fp16,
    // 2 × 4096 × 256 × 1.125 in 8-bit blocks, so more layers fit with the 8-bit cache.
    void eightBitCacheShrinksEveryLayer() {
        ModelConfig config;
        config.nHeadKv = 2;
        config.headDim = 128;
        config.nEmbd = 1536;
        config.nHead = 12;
        config.nFf = 8960;
        config.nVocab = 1000;
        ModelWeights weights;
        weights.layers.resize(3); // no tensors: only the caches count
        const OffloadNeeds f16 = offloadNeeds(config, weights, 4096, 256, 256);
        const OffloadNeeds q8 = offloadNeeds(config, weights, 4096, 256, 256, vk::KvCacheType::Q8_0);
        QCOMPARE(f16.layerBytes.front(), uint64_t(2) * 4096 * 256 * 2);
        QCOMPARE(q8.layerBytes.front(), uint64_t(2) * 4096 * 256 * 9 / 8);
        QCOMPARE(q8.sharedBytes, f16.sharedBytes);
        QVERIFY(largestFit(q8, q8.bytesFor(3)) == 3 && largestFit(f16, q8.bytesFor(3)) < 3);
    }
};

QTEST_GUILESS_MAIN(TestOffloadPlan)
#include "tst_offload_plan.moc"
