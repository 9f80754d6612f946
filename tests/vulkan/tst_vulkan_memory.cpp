// Tensor placement within binding/allocation limits, the out-of-memory message, and uploads
// through the staging ring (forced, since lavapipe's device memory is host-visible) read back
// byte for byte.
#include "inference/vulkan/DeviceTensor.h"
#include "inference/vulkan/StagingUploader.h"
#include "inference/vulkan/TensorPlacement.h"
#include "tests/vulkan/VulkanTestSupport.h"

#include <QTest>

#include <cstring>
#include <numeric>

using namespace lucent;
using namespace lucent::vk;

class TestVulkanMemory : public QObject {
    Q_OBJECT
private slots:
    void splitsTensorsLargerThanOneBinding_data() {
        QTest::addColumn<uint64_t>("maxBinding");
        QTest::addColumn<uint64_t>("maxAllocation");
        QTest::addColumn<uint64_t>("alignment");
        QTest::newRow("binding 4 KiB, chunk 16 KiB, align 16") << uint64_t(4096) << uint64_t(16384) << uint64_t(16);
        QTest::newRow("binding 1000 B, chunk 5000 B, align 64") << uint64_t(1000) << uint64_t(5000) << uint64_t(64);
        QTest::newRow("binding 128 MiB (lavapipe), chunk 1 GiB") << uint64_t(128) << uint64_t(1024) << uint64_t(16);
    }
    void splitsTensorsLargerThanOneBinding() {
        QFETCH(uint64_t, maxBinding);
        QFETCH(uint64_t, maxAllocation);
        QFETCH(uint64_t, alignment);
        if (maxBinding == 128) { // the real case: a 1.5B model's Q6_K LM head next to its layers
            maxBinding <<= 20;
            maxAllocation <<= 20;
        }
        const bool large = maxBinding > (1u << 20);
        const std::vector<TensorShape> shapes{
            {"norm", TensorType::F32, 96, 1},
            {"big", large ? TensorType::Q6_K : TensorType::Q4_0, large ? 1536u : 256u, large ? 151936u : 300u},
            {"f16", TensorType::F16, 64, 40},
            {"q8", TensorType::Q8_0, 96, 7},
        };
        const MemoryLimits limits{maxBinding, maxAllocation, alignment};
        auto plan = planPlacement(shapes, limits);
        QVERIFY2(plan, plan ? "" : plan.error().message.c_str());
        QCOMPARE(plan->slices.size(), shapes.size());
        for (uint64_t bytes : plan->chunkBytes) QVERIFY(bytes <= maxAllocation);
        for (size_t t = 0; t < shapes.size(); ++t) {
            const uint64_t rowSize = rowBytes(shapes[t].type, shapes[t].cols);
            uint64_t nextRow = 0;
            for (const SlicePlacement& s : plan->slices[t]) {
                QCOMPARE(s.firstRow, nextRow); // rows covered in order, none twice
                QVERIFY(s.rowCount > 0);
                QVERIFY(s.rowCount * rowSize <= maxBinding);
                QCOMPARE(s.offset % alignment, uint64_t(0));
                QVERIFY(s.offset + (s.rowCount * rowSize + 3) / 4 * 4 <= plan->chunkBytes[s.chunk]); // whole words bound
                nextRow += s.rowCount;
            }
            QCOMPARE(nextRow, shapes[t].rows);
        }
        QVERIFY(plan->slices[1].size() > 1); // "big" really was split
        // slices never overlap inside a chunk
        std::vector<std::pair<uint64_t, uint64_t>> used; // (chunk·2^40 + begin, end)
        for (size_t t = 0; t < shapes.size(); ++t)
            for (const SlicePlacement& s : plan->slices[t])
                used.push_back({(uint64_t(s.chunk) << 40) + s.offset, (uint64_t(s.chunk) << 40) + s.offset + s.rowCount * rowBytes(shapes[t].type, shapes[t].cols)});
        std::sort(used.begin(), used.end());
        for (size_t i = 1; i < used.size(); ++i) QVERIFY(used[i].first >= used[i - 1].second);
    }

    void refusesRowsLongerThanOneBinding() {
        const std::vector<TensorShape> shapes{{"blk.0.ffn_down.weight", TensorType::F32, 2048, 4}};
        auto plan = planPlacement(shapes, MemoryLimits{4096, 1 << 20, 16});
        QVERIFY(!plan);
        QVERIFY(plan.error().message.find("blk.0.ffn_down.weight") != std::string::npos);
    }

    void outOfMemoryNamesNeededAndAvailableBytes() {
        DeviceInfo device;
        device.name = "Test GPU";
        device.caps.heaps = {{uint64_t(4) << 30, uint64_t(3) << 30, 0, true}, {uint64_t(16) << 30, uint64_t(16) << 30, 0, false}};
        QVERIFY(checkDeviceMemory(device, uint64_t(3) << 30));
        auto tooMuch = checkDeviceMemory(device, (uint64_t(3) << 30) + 1);
        QVERIFY(!tooMuch);
        const std::string& message = tooMuch.error().message;
        qInfo("%s", message.c_str());
        QVERIFY(message.find("3221225473 bytes") != std::string::npos); // needed
        QVERIFY(message.find("3221225472 bytes") != std::string::npos); // the budget of the device-local heap
        QVERIFY(message.find("Test GPU") != std::string::npos);
    }

    void realDeviceRefusesMoreThanItHas() {
        std::string error;
        auto gpu = test::TestGpu::open(error);
        QVERIFY2(gpu, error.c_str());
        const uint64_t vram = gpu->context->info().vramBytes;
        const std::vector<TensorShape> shapes{{"a", TensorType::F32, 1024, vram / 4096 + 1024}};
        auto store = TensorStore::create(*gpu->context, shapes);
        QVERIFY(!store);
        QVERIFY(store.error().message.find("Not enough GPU memory") != std::string::npos);
        QCOMPARE(gpu->context->validationErrors(), 0);
    }

    void uploadsThroughTheStagingRing_data() {
        QTest::addColumn<bool>("staged");
        QTest::newRow("staging ring") << true;
        QTest::newRow("mapped memcpy") << false;
    }
    void uploadsThroughTheStagingRing() {
        QFETCH(bool, staged);
        ContextOptions options;
        options.forceMaxBindingBytes = 4096;
        options.forceMaxAllocationBytes = 16384;
        options.avoidHostVisibleDeviceMemory = staged;
        std::string error;
        auto gpu = test::TestGpu::open(error, options);
        QVERIFY2(gpu, error.c_str());
        const std::vector<TensorShape> shapes{{"big", TensorType::Q4_0, 256, 300}, {"small", TensorType::F32, 64, 3}};
        auto store = TensorStore::create(*gpu->context, shapes);
        QVERIFY2(store, store ? "" : store.error().message.c_str());
        QVERIFY((*store)->chunkCount() > 1);
        QVERIFY((*store)->tensor(0).slices.size() > 1);

        // data with a distinct byte pattern per tensor
        std::vector<std::vector<uint8_t>> data;
        uint64_t total = 0;
        for (size_t t = 0; t < shapes.size(); ++t) {
            std::vector<uint8_t> bytes(rowBytes(shapes[t].type, shapes[t].cols) * shapes[t].rows);
            for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = uint8_t(i * 7 + t * 13 + i / 251);
            total += bytes.size();
            data.push_back(std::move(bytes));
        }
        auto uploader = StagingUploader::create(*gpu->context, 1000, 3); // small segments: many pieces, ring wraps
        QVERIFY(uploader);
        std::vector<uint64_t> progress;
        (*uploader)->expect(total, [&](uint64_t done, uint64_t all) {
            QCOMPARE(all, total);
            progress.push_back(done);
        });
        for (size_t t = 0; t < shapes.size(); ++t) QVERIFY((*store)->upload(**uploader, t, data[t].data()));
        QVERIFY((*uploader)->finish());
        QCOMPARE(progress.back(), total);
        QVERIFY(std::is_sorted(progress.begin(), progress.end()));
        if (staged) QVERIFY((*uploader)->stagedPieces() > total / 1000);
        else QCOMPARE((*uploader)->stagedPieces(), uint64_t(0));

        // read every slice back through a copy into host memory
        for (size_t t = 0; t < shapes.size(); ++t) {
            const DeviceTensor& tensor = (*store)->tensor(t);
            std::vector<uint8_t> back;
            for (const TensorSlice& slice : tensor.slices) {
                auto host = gpu->zeros(slice.range.bytes);
                gpu->batch->begin();
                gpu->batch->copy(slice.range, wholeBuffer(*host));
                QVERIFY(gpu->batch->submitAndWait());
                back.insert(back.end(), host->mapped(), host->mapped() + slice.rowCount * rowBytes(tensor.type, tensor.cols));
            }
            QVERIFY(back == data[t]);
        }
        QCOMPARE(gpu->context->validationErrors(), 0);
    }
};

QTEST_GUILESS_MAIN(TestVulkanMemory)
#include "tst_vulkan_memory.moc"
