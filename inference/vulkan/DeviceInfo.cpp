#include "inference/vulkan/DeviceInfo.h"

#include <algorithm>
#include <cstring>

namespace lucent::vk {
namespace {

bool hasDeviceExtension(const std::vector<VkExtensionProperties>& extensions, const char* name) {
    return std::any_of(extensions.begin(), extensions.end(),
                       [name](const VkExtensionProperties& e) { return std::strcmp(e.extensionName, name) == 0; });
}

DeviceKind kindOf(VkPhysicalDeviceType type) {
    switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return DeviceKind::Discrete;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return DeviceKind::Integrated;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return DeviceKind::Virtual;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return DeviceKind::Cpu;
    default: return DeviceKind::Other;
    }
}

void probeProperties(VkPhysicalDevice device, const std::vector<VkExtensionProperties>& extensions, DeviceInfo& info) {
    DeviceCapabilities& caps = info.caps;
    const bool v13 = caps.apiVersion >= VK_API_VERSION_1_3;
    VkPhysicalDeviceVulkan11Properties v11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_PROPERTIES};
    VkPhysicalDeviceSubgroupSizeControlProperties sizeControl{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES};
    VkPhysicalDeviceMaintenance4Properties maintenance4{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_4_PROPERTIES};
    VkPhysicalDeviceShaderIntegerDotProductProperties dot{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_PROPERTIES};
    VkPhysicalDeviceProperties2 properties{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
    // Chain only what the device knows: 1.3 core, or the extension that introduced the struct.
    void** tail = &properties.pNext;
    auto chain = [&tail](auto& s) { *tail = &s; tail = &s.pNext; };
    chain(v11);
    const bool hasSizeControl = v13 || hasDeviceExtension(extensions, VK_EXT_SUBGROUP_SIZE_CONTROL_EXTENSION_NAME);
    const bool hasMaintenance4 = v13 || hasDeviceExtension(extensions, VK_KHR_MAINTENANCE_4_EXTENSION_NAME);
    const bool hasDot = v13 || hasDeviceExtension(extensions, VK_KHR_SHADER_INTEGER_DOT_PRODUCT_EXTENSION_NAME);
    if (hasSizeControl) chain(sizeControl);
    if (hasMaintenance4) chain(maintenance4);
    if (hasDot) chain(dot);
    vkGetPhysicalDeviceProperties2(device, &properties);

    const VkPhysicalDeviceLimits& limits = properties.properties.limits;
    info.name = properties.properties.deviceName;
    info.kind = kindOf(properties.properties.deviceType);
    info.vendorId = properties.properties.vendorID;
    std::memcpy(info.uuid.data(), v11.deviceUUID, VK_UUID_SIZE);
    caps.subgroupSize = v11.subgroupSize;
    const bool inCompute = v11.subgroupSupportedStages & VK_SHADER_STAGE_COMPUTE_BIT;
    caps.subgroupBasic = inCompute && (v11.subgroupSupportedOperations & VK_SUBGROUP_FEATURE_BASIC_BIT);
    caps.subgroupArithmetic = inCompute && (v11.subgroupSupportedOperations & VK_SUBGROUP_FEATURE_ARITHMETIC_BIT);
    caps.subgroupShuffle = inCompute && (v11.subgroupSupportedOperations & VK_SUBGROUP_FEATURE_SHUFFLE_BIT);
    caps.minSubgroupSize = hasSizeControl ? sizeControl.minSubgroupSize : v11.subgroupSize;
    caps.maxSubgroupSize = hasSizeControl ? sizeControl.maxSubgroupSize : v11.subgroupSize;
    caps.integerDotProduct4x8Accelerated = hasDot && dot.integerDotProduct4x8BitPackedSignedAccelerated;
    caps.maxStorageBufferRange = limits.maxStorageBufferRange;
    caps.maxMemoryAllocationSize = v11.maxMemoryAllocationSize;
    caps.maxBufferSize = hasMaintenance4 ? maintenance4.maxBufferSize : v11.maxMemoryAllocationSize;
    caps.minStorageBufferOffsetAlignment = limits.minStorageBufferOffsetAlignment;
    caps.minTexelBufferOffsetAlignment = limits.minTexelBufferOffsetAlignment;
    caps.maxTexelBufferElements = limits.maxTexelBufferElements;
    caps.maxComputeSharedMemory = limits.maxComputeSharedMemorySize;
    caps.maxWorkgroupInvocations = limits.maxComputeWorkGroupInvocations;
    for (int i = 0; i < 3; ++i) caps.maxWorkgroupCount[size_t(i)] = limits.maxComputeWorkGroupCount[i];
    caps.maxPushConstantsSize = limits.maxPushConstantsSize;
    caps.timestampPeriodNs = limits.timestampPeriod;
    info.caps.subgroupSizeControl = hasSizeControl; // refined by the feature query
}

void probeFeatures(VkPhysicalDevice device, const std::vector<VkExtensionProperties>& extensions, DeviceCapabilities& caps) {
    VkPhysicalDeviceVulkan11Features v11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
    VkPhysicalDeviceVulkan12Features v12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceSubgroupSizeControlFeatures sizeControl{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_FEATURES};
    VkPhysicalDeviceShaderIntegerDotProductFeatures dot{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_FEATURES};
    VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    features.pNext = &v11;
    v11.pNext = &v12;
    void** tail = &v12.pNext;
    auto chain = [&tail](auto& s) { *tail = &s; tail = &s.pNext; };
    if (caps.subgroupSizeControl) chain(sizeControl);
    const bool hasDot = caps.apiVersion >= VK_API_VERSION_1_3 || hasDeviceExtension(extensions, VK_KHR_SHADER_INTEGER_DOT_PRODUCT_EXTENSION_NAME);
    if (hasDot) chain(dot);
    vkGetPhysicalDeviceFeatures2(device, &features);
    caps.integerDotProduct = hasDot && dot.shaderIntegerDotProduct;
    caps.integerDotProduct4x8Accelerated = caps.integerDotProduct && caps.integerDotProduct4x8Accelerated;
    caps.storageBuffer16Bit = v11.storageBuffer16BitAccess;
    caps.storageBuffer8Bit = v12.storageBuffer8BitAccess;
    caps.shaderFloat16 = v12.shaderFloat16;
    caps.shaderInt8 = v12.shaderInt8;
    caps.subgroupSizeControl = caps.subgroupSizeControl && sizeControl.subgroupSizeControl && sizeControl.computeFullSubgroups;
    caps.memoryBudget = hasDeviceExtension(extensions, VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);
}

void probeHeaps(VkPhysicalDevice device, DeviceInfo& info) {
    VkPhysicalDeviceMemoryBudgetPropertiesEXT budget{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT};
    VkPhysicalDeviceMemoryProperties2 memory{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2};
    if (info.caps.memoryBudget) memory.pNext = &budget;
    vkGetPhysicalDeviceMemoryProperties2(device, &memory);
    for (uint32_t i = 0; i < memory.memoryProperties.memoryHeapCount; ++i) {
        MemoryHeap heap;
        heap.bytes = memory.memoryProperties.memoryHeaps[i].size;
        heap.budgetBytes = info.caps.memoryBudget && budget.heapBudget[i] ? std::min(budget.heapBudget[i], heap.bytes) : heap.bytes;
        heap.usageBytes = info.caps.memoryBudget ? std::min(budget.heapUsage[i], heap.budgetBytes) : 0;
        heap.deviceLocal = memory.memoryProperties.memoryHeaps[i].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT;
        if (heap.deviceLocal) info.vramBytes += heap.bytes;
        info.caps.heaps.push_back(heap);
    }
}

} // namespace

std::string_view deviceKindName(DeviceKind kind) {
    switch (kind) {
    case DeviceKind::Discrete: return "discrete";
    case DeviceKind::Integrated: return "integrated";
    case DeviceKind::Virtual: return "virtual";
    case DeviceKind::Cpu: return "cpu";
    case DeviceKind::Other: break;
    }
    return "other";
}

DeviceInfo probeDevice(VkPhysicalDevice device, uint32_t instanceVersion) {
    DeviceInfo info;
    info.physical = device;
    VkPhysicalDeviceProperties basic;
    vkGetPhysicalDeviceProperties(device, &basic);
    info.name = basic.deviceName;
    info.kind = kindOf(basic.deviceType);
    // what Lucent may use: a 1.3 driver behind an instance of 1.2 offers 1.2 (and extensions)
    info.caps.apiVersion = std::min(basic.apiVersion, instanceVersion);
    if (basic.apiVersion < VK_API_VERSION_1_2) {
        info.unsupportedReason = info.name + " only supports Vulkan " + std::to_string(VK_API_VERSION_MAJOR(basic.apiVersion)) + "." +
                                 std::to_string(VK_API_VERSION_MINOR(basic.apiVersion)) + "; Lucent needs Vulkan 1.2.";
        return info;
    }
    uint32_t count = 0;
    vkEnumerateDeviceExtensionProperties(device, nullptr, &count, nullptr);
    std::vector<VkExtensionProperties> extensions(count);
    vkEnumerateDeviceExtensionProperties(device, nullptr, &count, extensions.data());

    probeProperties(device, extensions, info);
    probeFeatures(device, extensions, info.caps);
    probeHeaps(device, info);
    if (!info.caps.storageBuffer16Bit)
        info.unsupportedReason = info.name + " lacks 16-bit storage buffers, which Lucent's shaders need.";
    return info;
}

} // namespace lucent::vk
