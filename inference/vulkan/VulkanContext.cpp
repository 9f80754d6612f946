#include "inference/vulkan/VulkanContext.h"

#include "inference/vulkan/DeviceList.h"
#include "inference/vulkan/VulkanCheck.h"

#include <algorithm>

namespace lucent::vk {
namespace {

constexpr uint64_t kMaxChunkBytes = uint64_t(1) << 30; // 1 GiB blocks: the soft allocation limit some drivers enforce

/// A compute queue family, preferring one without graphics (a dedicated compute engine).
std::optional<uint32_t> computeQueueFamily(VkPhysicalDevice device) {
    uint32_t count = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(device, &count, nullptr);
    std::vector<VkQueueFamilyProperties> families(count);
    vkGetPhysicalDeviceQueueFamilyProperties(device, &count, families.data());
    std::optional<uint32_t> any;
    for (uint32_t i = 0; i < count; ++i) {
        if (!(families[i].queueFlags & VK_QUEUE_COMPUTE_BIT)) continue;
        if (!(families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT)) return i;
        if (!any) any = i;
    }
    return any;
}

} // namespace

Expected<std::unique_ptr<VulkanContext>> VulkanContext::create(const ContextOptions& options) {
    std::unique_ptr<VulkanContext> self(new VulkanContext);
    auto instance = VulkanInstance::create(options.instance);
    if (!instance) return fail(instance.error());
    self->instance_ = std::move(*instance);

    // device: listed, deduplicated, chosen
    std::vector<DeviceInfo> devices = listDevices(*self->instance_);
    auto chosen = chooseDevice(devices, options.device);
    if (!chosen) return fail(chosen.error());
    self->deviceIndex_ = *chosen;
    self->info_ = devices[*chosen];
    if (auto created = self->createDevice(); !created) return fail(created.error());

    // limits: the device's, lowered by the test hooks
    const DeviceCapabilities& caps = self->info_.caps;
    self->limits_.maxBindingBytes = caps.maxStorageBufferRange;
    self->limits_.maxAllocationBytes = std::min({caps.maxMemoryAllocationSize, caps.maxBufferSize, kMaxChunkBytes});
    self->limits_.bindingAlignment = std::max({caps.minStorageBufferOffsetAlignment, caps.minTexelBufferOffsetAlignment, kSlicePadding});
    if (options.forceMaxBindingBytes) self->limits_.maxBindingBytes = std::min(self->limits_.maxBindingBytes, options.forceMaxBindingBytes);
    if (options.forceMaxAllocationBytes)
        self->limits_.maxAllocationBytes = std::min(self->limits_.maxAllocationBytes, options.forceMaxAllocationBytes);
    self->avoidHostVisible_ = options.avoidHostVisibleDeviceMemory;
    self->simulateLostAt_ = options.simulateDeviceLostAtSubmit;
    vkGetPhysicalDeviceMemoryProperties(self->info_.physical, &self->memoryProperties_);
    return self;
}

Expected<void> VulkanContext::createDevice() {
    auto family = computeQueueFamily(info_.physical);
    if (!family) return fail(info_.name + " has no compute queue, so Lucent cannot run on it.");
    queueFamily_ = *family;

    // features: 16-bit storage is required; size control lets pipelines pin the subgroup size
    VkPhysicalDeviceSubgroupSizeControlFeatures sizeControl{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_FEATURES};
    VkPhysicalDeviceVulkan12Features v12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceVulkan11Features v11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
    VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    features.pNext = &v11;
    v11.pNext = &v12;
    v11.storageBuffer16BitAccess = VK_TRUE;
    v12.storageBuffer8BitAccess = info_.caps.storageBuffer8Bit;
    v12.shaderInt8 = info_.caps.shaderInt8;
    std::vector<const char*> extensions;
    void** tail = &v12.pNext;
    auto chain = [&tail](auto& s) { *tail = &s; tail = &s.pNext; };
    if (info_.caps.subgroupSizeControl) {
        sizeControl.subgroupSizeControl = VK_TRUE;
        sizeControl.computeFullSubgroups = VK_TRUE;
        chain(sizeControl);
        if (info_.caps.apiVersion < VK_API_VERSION_1_3) extensions.push_back(VK_EXT_SUBGROUP_SIZE_CONTROL_EXTENSION_NAME);
    }
    // integer dot products: the prompt mat-mul for Q4_0/Q8_0/K-quants (matMulUsesIntegerDot)
    VkPhysicalDeviceShaderIntegerDotProductFeatures dot{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_FEATURES};
    if (info_.caps.integerDotProduct) {
        dot.shaderIntegerDotProduct = VK_TRUE;
        chain(dot);
        if (info_.caps.apiVersion < VK_API_VERSION_1_3) extensions.push_back(VK_KHR_SHADER_INTEGER_DOT_PRODUCT_EXTENSION_NAME);
    }
    if (info_.caps.memoryBudget) extensions.push_back(VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);

    const float priority = 1.0f;
    VkDeviceQueueCreateInfo queueInfo{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    queueInfo.queueFamilyIndex = queueFamily_;
    queueInfo.queueCount = 1;
    queueInfo.pQueuePriorities = &priority;
    VkDeviceCreateInfo deviceInfo{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    deviceInfo.pNext = &features;
    deviceInfo.queueCreateInfoCount = 1;
    deviceInfo.pQueueCreateInfos = &queueInfo;
    deviceInfo.enabledExtensionCount = uint32_t(extensions.size());
    deviceInfo.ppEnabledExtensionNames = extensions.data();
    if (VkResult result = vkCreateDevice(info_.physical, &deviceInfo, nullptr, &device_); result != VK_SUCCESS)
        return fail(failure("open " + info_.name, result));
    vkGetDeviceQueue(device_, queueFamily_, 0, &queue_);

    VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    poolInfo.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    poolInfo.queueFamilyIndex = queueFamily_;
    if (VkResult result = vkCreateCommandPool(device_, &poolInfo, nullptr, &commandPool_); result != VK_SUCCESS)
        return fail(failure("create a command pool", result));
    return {};
}

VulkanContext::~VulkanContext() {
    if (device_ != VK_NULL_HANDLE) {
        vkDeviceWaitIdle(device_);
        if (commandPool_ != VK_NULL_HANDLE) vkDestroyCommandPool(device_, commandPool_, nullptr);
        vkDestroyDevice(device_, nullptr);
    }
}

VkResult VulkanContext::noteSubmission(VkResult result) const {
    if (result == VK_SUCCESS && simulateLostAt_ && ++submissions_ == simulateLostAt_) result = VK_ERROR_DEVICE_LOST;
    noteResult(result);
    return result;
}

void VulkanContext::noteResult(VkResult result) const {
    if (result == VK_ERROR_DEVICE_LOST) lost_ = true;
}

} // namespace lucent::vk
