#pragma once
/// @file
/// @brief What a physical device is and can do, probed once: the facts device selection, memory
/// placement and kernel tuning depend on.

#include <vulkan/vulkan.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lucent::vk {

/// @brief The kind of device, in the order Lucent prefers them.
enum class DeviceKind { Discrete, Integrated, Virtual, Cpu, Other };

/// @brief "discrete", "integrated", "virtual", "cpu" or "other" (the `devices --json` spelling).
std::string_view deviceKindName(DeviceKind kind);

/// @brief One memory heap.
struct MemoryHeap {
    uint64_t bytes = 0;
    uint64_t budgetBytes = 0; ///< what VK_EXT_memory_budget says this process may use; = bytes without it
    uint64_t usageBytes = 0;  ///< what VK_EXT_memory_budget says this process uses now; 0 without it
    bool deviceLocal = false;
};

/// @brief Optional features and the limits the backend respects.
struct DeviceCapabilities {
    uint32_t apiVersion = 0;
    // subgroups
    uint32_t subgroupSize = 0;
    bool subgroupBasic = false;      ///< in compute shaders
    bool subgroupArithmetic = false; ///< subgroupAdd and friends in compute shaders
    bool subgroupShuffle = false;
    bool subgroupSizeControl = false; ///< requiredSubgroupSize with full subgroups in compute
    uint32_t minSubgroupSize = 0;
    uint32_t maxSubgroupSize = 0;
    // arithmetic and storage types
    bool shaderFloat16 = false;
    bool shaderInt8 = false;
    bool storageBuffer16Bit = false;
    bool storageBuffer8Bit = false;
    bool integerDotProduct = false;               ///< shaderIntegerDotProduct (1.3 or VK_KHR_shader_integer_dot_product)
    bool integerDotProduct4x8Accelerated = false; ///< packed signed int8 dot product is fast
    bool memoryBudget = false;                    ///< VK_EXT_memory_budget
    // limits
    uint64_t maxStorageBufferRange = 0;
    uint64_t maxMemoryAllocationSize = 0;
    uint64_t maxBufferSize = 0; ///< maintenance4; = maxMemoryAllocationSize when unknown
    uint64_t minStorageBufferOffsetAlignment = 0;
    uint64_t minTexelBufferOffsetAlignment = 0;
    uint64_t maxTexelBufferElements = 0;
    uint32_t maxComputeSharedMemory = 0;
    uint32_t maxWorkgroupInvocations = 0;
    std::array<uint32_t, 3> maxWorkgroupCount{};
    uint32_t maxPushConstantsSize = 0;
    float timestampPeriodNs = 0.0f;
    std::vector<MemoryHeap> heaps;
};

/// @brief One physical device as Lucent lists it.
struct DeviceInfo {
    VkPhysicalDevice physical = VK_NULL_HANDLE;
    std::string name;
    DeviceKind kind = DeviceKind::Other;
    uint32_t vendorId = 0;
    std::array<uint8_t, VK_UUID_SIZE> uuid{};
    uint64_t vramBytes = 0; ///< total of the device-local heaps
    DeviceCapabilities caps;
    std::string unsupportedReason; ///< empty when Lucent can run on it
    bool supported() const { return unsupportedReason.empty(); }
};

/// @brief Queries name, kind, UUID, features, limits and heaps of `device`, and whether it meets
/// Lucent's floor (Vulkan 1.2 and 16-bit storage buffers). caps.apiVersion is the device's,
/// capped at `instanceVersion` (the instance's): what may be used through that instance.
DeviceInfo probeDevice(VkPhysicalDevice device, uint32_t instanceVersion);

} // namespace lucent::vk
