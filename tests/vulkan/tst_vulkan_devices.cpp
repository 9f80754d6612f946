// Device listing, deduplication, preference and choice; the capability probe on the real device
// (lavapipe here); a context opened under the validation layer raising no error.
#include "inference/vulkan/DeviceList.h"
#include "inference/vulkan/VulkanContext.h"
#include "inference/vulkan/Kernels.h"
#include "inference/vulkan/VulkanInstance.h"
#include "tests/vulkan/VulkanTestSupport.h"

#include <QTest>

using namespace lucent::vk;

namespace {

DeviceInfo madeUp(const char* name, DeviceKind kind, uint8_t uuidByte, bool supported = true) {
    DeviceInfo device;
    device.name = name;
    device.kind = kind;
    device.uuid.fill(0);
    device.uuid[0] = uuidByte;
    if (!supported) device.unsupportedReason = std::string(name) + " lacks 16-bit storage buffers.";
    return device;
}

std::vector<std::string> names(const std::vector<DeviceInfo>& devices) {
    std::vector<std::string> out;
    for (const auto& d : devices) out.push_back(d.name);
    return out;
}

} // namespace

class TestVulkanDevices : public QObject {
    Q_OBJECT
private slots:
    void ordersByPreferenceAndDropsDuplicateUuids() {
        std::vector<DeviceInfo> probed{madeUp("llvmpipe", DeviceKind::Cpu, 1), madeUp("iGPU", DeviceKind::Integrated, 2),
                                       madeUp("RADV dGPU", DeviceKind::Discrete, 3), madeUp("AMDVLK dGPU", DeviceKind::Discrete, 3),
                                       madeUp("virtio", DeviceKind::Virtual, 4)};
        const auto ordered = orderDevices(probed);
        QCOMPARE(names(ordered), (std::vector<std::string>{"RADV dGPU", "iGPU", "virtio", "llvmpipe"}));
    }

    void choosesGpuOverCpuAndCpuOnlyWhenAlone() {
        const auto both = orderDevices({madeUp("llvmpipe", DeviceKind::Cpu, 1), madeUp("iGPU", DeviceKind::Integrated, 2)});
        QCOMPARE(both[*chooseDevice(both, std::nullopt)].name, std::string("iGPU"));
        QCOMPARE(both[*chooseDevice(both, 1)].name, std::string("llvmpipe")); // asked for explicitly
        const auto cpuOnly = orderDevices({madeUp("llvmpipe", DeviceKind::Cpu, 1)});
        QCOMPARE(*chooseDevice(cpuOnly, std::nullopt), size_t(0));
        const auto unsupportedGpu = orderDevices({madeUp("old GPU", DeviceKind::Discrete, 1, false), madeUp("llvmpipe", DeviceKind::Cpu, 2)});
        QCOMPARE(unsupportedGpu[*chooseDevice(unsupportedGpu, std::nullopt)].name, std::string("llvmpipe"));
    }

    void explainsBadChoices() {
        const auto devices = orderDevices({madeUp("old GPU", DeviceKind::Discrete, 1, false), madeUp("llvmpipe", DeviceKind::Cpu, 2)});
        auto missing = chooseDevice(devices, 99);
        QVERIFY(!missing);
        QCOMPARE(missing.error().message,
                 std::string("There is no Vulkan device 99; valid devices are 0 to 1 (see `lucent-cli devices`)."));
        QVERIFY(!chooseDevice(devices, -1));
        auto unsupported = chooseDevice(devices, 0);
        QVERIFY(!unsupported);
        QVERIFY(unsupported.error().message.find("lacks 16-bit storage") != std::string::npos);
        QVERIFY(!chooseDevice({}, std::nullopt));
    }

    void probesTheRealDevices() {
        auto instance = VulkanInstance::create({});
        QVERIFY2(instance, instance ? "" : instance.error().message.c_str());
        const auto devices = listDevices(**instance);
        QVERIFY(!devices.empty());
        bool sawCpu = false;
        for (const DeviceInfo& d : devices) {
            qInfo("%s (%s): subgroup %u, binding range %llu, 16-bit storage %d, 8-bit %d, fp16 %d, int dot %d, size control %d, vram %llu",
                  d.name.c_str(), std::string(deviceKindName(d.kind)).c_str(), d.caps.subgroupSize,
                  (unsigned long long)d.caps.maxStorageBufferRange, d.caps.storageBuffer16Bit, d.caps.storageBuffer8Bit,
                  d.caps.shaderFloat16, d.caps.integerDotProduct4x8Accelerated, d.caps.subgroupSizeControl,
                  (unsigned long long)d.vramBytes);
            QVERIFY(!d.name.empty());
            QVERIFY(d.caps.apiVersion >= VK_API_VERSION_1_2);
            QVERIFY(d.caps.subgroupSize >= 1);
            QVERIFY(d.caps.minSubgroupSize <= d.caps.subgroupSize && d.caps.subgroupSize <= d.caps.maxSubgroupSize);
            QVERIFY(d.caps.maxStorageBufferRange >= (1u << 27) - 1); // Vulkan's minimum is 2^27
            QVERIFY(d.caps.maxBufferSize > 0 && d.caps.maxMemoryAllocationSize > 0);
            QVERIFY(!d.caps.heaps.empty());
            QVERIFY(d.vramBytes > 0);
            sawCpu = sawCpu || d.kind == DeviceKind::Cpu;
        }
        QVERIFY2(sawCpu, "lavapipe (mesa-vulkan-drivers) should be listed on this machine");
        // lavapipe's facts as ENGINE.md records them (Mesa 22.3): 8 lanes, or what a 'devices'
        // profile's LP_NATIVE_VECTOR_WIDTH asks for
        const int width = qEnvironmentVariableIntValue("LP_NATIVE_VECTOR_WIDTH");
        for (const DeviceInfo& d : devices) {
            if (d.name.find("llvmpipe") == std::string::npos) continue;
            QCOMPARE(d.caps.subgroupSize, width > 0 ? uint32_t(width / 32) : 8u);
            QCOMPARE(d.caps.maxStorageBufferRange, uint64_t(128) << 20);
            QVERIFY(d.caps.storageBuffer16Bit && d.supported());
        }
    }

    void opensTheChosenDeviceWithoutValidationErrors() {
        ContextOptions options;
        options.instance.validation = true;
        auto context = VulkanContext::create(options);
        QVERIFY2(context, context ? "" : context.error().message.c_str());
        QVERIFY((*context)->instance().validating());
        QVERIFY((*context)->queue() != VK_NULL_HANDLE);
        QVERIFY((*context)->limits().maxBindingBytes <= (*context)->info().caps.maxStorageBufferRange);
        QVERIFY((*context)->limits().maxAllocationBytes <= (uint64_t(1) << 30));
        QCOMPARE((*context)->validationErrors(), 0);
    }

    // The 'devices' CTest profiles (tests/vulkan/CMakeLists.txt) get the device they ask for:
    // lavapipe's subgroup size from LP_NATIVE_VECTOR_WIDTH, a GPU's kernel choices from
    // LUCENT_VK_KERNELS=gpu, shared-memory sums from LUCENT_VK_SUBGROUPS=0.
    void profileVariablesTakeEffect() {
        ContextOptions options;
        auto context = VulkanContext::create(options);
        QVERIFY2(context, context ? "" : context.error().message.c_str());
        const DeviceInfo& device = (*context)->info();
        if (device.kind != DeviceKind::Cpu) QSKIP("the profiles are for lavapipe");
        const int width = qEnvironmentVariableIntValue("LP_NATIVE_VECTOR_WIDTH");
        if (width > 0) QCOMPARE(device.caps.subgroupSize, uint32_t(width / 32));
        QCOMPARE(choosesCpuKernels(device), qgetenv("LUCENT_VK_KERNELS") != "gpu");
        QCOMPARE(matVecShape(device).batchTokens == 0, qgetenv("LUCENT_VK_KERNELS") == "gpu");
        QCOMPARE(usesSubgroupArithmetic(device), device.caps.subgroupArithmetic && qgetenv("LUCENT_VK_SUBGROUPS") != "0");
        qInfo("%s: subgroups of %u, %s kernel choices, %s sums", device.name.c_str(), device.caps.subgroupSize,
              choosesCpuKernels(device) ? "CPU" : "GPU", usesSubgroupArithmetic(device) ? "subgroup" : "shared-memory");
    }

    void validationCountsAMissingBarrier() {
        // The counter the kernel tests assert on must really count: read what the previous
        // dispatch wrote with no barrier between them, and synchronization validation objects.
        std::string error;
        std::vector<std::string> messages;
        ContextOptions options;
        options.instance.log = [&messages](LogLevel, std::string_view m) { messages.emplace_back(m); };
        auto gpu = lucent::vk::test::TestGpu::open(error, options);
        QVERIFY2(gpu, error.c_str());
        const std::vector<float> ones(256, 1.0f);
        auto a = gpu->upload(ones), b = gpu->upload(ones), c = gpu->upload(ones);
        gpu->batch->begin();
        recordAdd(*gpu->batch, wholeBuffer(*a), wholeBuffer(*b), 256);
        recordAdd(*gpu->batch, wholeBuffer(*c), wholeBuffer(*a), 256); // reads a: needs a barrier
        QVERIFY(gpu->batch->submitAndWait());
        QVERIFY(gpu->context->validationErrors() > 0);
        QVERIFY(!messages.empty());
        qInfo("reported: %.200s", messages.front().c_str());
    }

    void refusesADeviceThatIsNotThere() {
        ContextOptions options;
        options.device = 99;
        auto context = VulkanContext::create(options);
        QVERIFY(!context);
        QVERIFY(context.error().message.rfind("There is no Vulkan device 99", 0) == 0);
    }
};

QTEST_GUILESS_MAIN(TestVulkanDevices)
#include "tst_vulkan_devices.moc"
