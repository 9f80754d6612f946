#include "inference/vulkan/DeviceBuffer.h"

#include "inference/vulkan/VulkanCheck.h"
#include "inference/vulkan/VulkanContext.h"

#include <cstdio>
#include <optional>
#include <vector>
#include <string>

namespace lucent::vk {
namespace {

/// The memory type for `use` among those `allowed`, best first; nothing when none fits.
std::optional<uint32_t> chooseMemoryType(const VulkanContext& context, uint32_t allowed, MemoryUse use) {
    const auto& memory = context.memoryProperties();
    constexpr VkMemoryPropertyFlags kLocal = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
    constexpr VkMemoryPropertyFlags kHost = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    std::vector<VkMemoryPropertyFlags> wanted;
    switch (use) {
    case MemoryUse::Device:
        if (!context.avoidHostVisibleDeviceMemory()) wanted.push_back(kLocal | kHost); // uploads become memcpy
        wanted.push_back(kLocal);
        wanted.push_back(kHost); // a device without device-local memory (unusual) still works
        break;
    case MemoryUse::Upload: wanted = {kHost}; break;
    case MemoryUse::Readback: wanted = {kHost | VK_MEMORY_PROPERTY_HOST_CACHED_BIT, kHost}; break;
    }
    for (VkMemoryPropertyFlags flags : wanted) {
        for (uint32_t i = 0; i < memory.memoryTypeCount; ++i) {
            if (!(allowed & (1u << i)) || (memory.memoryTypes[i].propertyFlags & flags) != flags) continue;
            // avoidHostVisibleDeviceMemory must really avoid it, or the staging path is never tested
            if (use == MemoryUse::Device && context.avoidHostVisibleDeviceMemory() && flags == kLocal &&
                (memory.memoryTypes[i].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT))
                continue;
            return i;
        }
    }
    if (use == MemoryUse::Device && context.avoidHostVisibleDeviceMemory()) {
        // Only host-visible device memory exists (lavapipe, UMA): take it but never map it.
        for (uint32_t i = 0; i < memory.memoryTypeCount; ++i)
            if ((allowed & (1u << i)) && (memory.memoryTypes[i].propertyFlags & kLocal)) return i;
    }
    return std::nullopt;
}

Error outOfMemory(const VulkanContext& context, uint64_t bytes, uint32_t heapIndex) {
    const auto& heaps = context.info().caps.heaps;
    const uint64_t available = heapIndex < heaps.size() ? heaps[heapIndex].budgetBytes : 0;
    return Error{"Not enough GPU memory: Lucent needed " + formatBytes(bytes) + " more on " + context.info().name + ", which has " +
                 formatBytes(available) + " in that memory heap. Choose a smaller model or a shorter context, or use the CPU backend."};
}

} // namespace

std::string formatBytes(uint64_t bytes) {
    char text[64];
    const double b = double(bytes);
    if (bytes >= (uint64_t(1) << 30)) std::snprintf(text, sizeof text, "%.1f GiB (%llu bytes)", b / double(1u << 30), (unsigned long long)bytes);
    else if (bytes >= (uint64_t(1) << 20)) std::snprintf(text, sizeof text, "%.1f MiB (%llu bytes)", b / double(1u << 20), (unsigned long long)bytes);
    else std::snprintf(text, sizeof text, "%llu bytes", (unsigned long long)bytes);
    return text;
}

Expected<std::unique_ptr<DeviceBuffer>> DeviceBuffer::create(const VulkanContext& context, uint64_t bytes, MemoryUse use) {
    std::unique_ptr<DeviceBuffer> self(new DeviceBuffer);
    self->device_ = context.device();
    self->bytes_ = bytes;
    if (bytes == 0 || bytes > context.limits().maxAllocationBytes)
        return fail("Lucent asked for a GPU buffer of " + formatBytes(bytes) + ", outside the device's limit of " +
                    formatBytes(context.limits().maxAllocationBytes) + " per buffer (a bug: large tensors are split into chunks).");

    // buffer
    VkBufferCreateInfo bufferInfo{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    bufferInfo.size = bytes;
    bufferInfo.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                       VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    bufferInfo.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    if (VkResult result = vkCreateBuffer(self->device_, &bufferInfo, nullptr, &self->buffer_); result != VK_SUCCESS)
        return fail(failure("create a buffer of " + formatBytes(bytes), result));

    // memory: check the heap's size first so the error can say how much there is
    VkMemoryRequirements requirements;
    vkGetBufferMemoryRequirements(self->device_, self->buffer_, &requirements);
    auto type = chooseMemoryType(context, requirements.memoryTypeBits, use);
    if (!type) return fail(context.info().name + " offers no memory type Lucent can use for its buffers.");
    const uint32_t heap = context.memoryProperties().memoryTypes[*type].heapIndex;
    if (requirements.size > context.memoryProperties().memoryHeaps[heap].size) return fail(outOfMemory(context, requirements.size, heap));
    VkMemoryAllocateInfo allocateInfo{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    allocateInfo.allocationSize = requirements.size;
    allocateInfo.memoryTypeIndex = *type;
    VkResult result = vkAllocateMemory(self->device_, &allocateInfo, nullptr, &self->memory_);
    if (result == VK_ERROR_OUT_OF_DEVICE_MEMORY || result == VK_ERROR_OUT_OF_HOST_MEMORY)
        return fail(outOfMemory(context, requirements.size, heap));
    if (result != VK_SUCCESS) return fail(failure("allocate " + formatBytes(bytes) + " of GPU memory", result));
    if (result = vkBindBufferMemory(self->device_, self->buffer_, self->memory_, 0); result != VK_SUCCESS)
        return fail(failure("bind GPU memory to a buffer", result));

    const bool hostVisible = context.memoryProperties().memoryTypes[*type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
    if (hostVisible && !(use == MemoryUse::Device && context.avoidHostVisibleDeviceMemory())) {
        void* address = nullptr;
        if (result = vkMapMemory(self->device_, self->memory_, 0, VK_WHOLE_SIZE, 0, &address); result != VK_SUCCESS)
            return fail(failure("map GPU memory", result));
        self->mapped_ = static_cast<uint8_t*>(address);
    }
    return self;
}

VkBufferView DeviceBuffer::texelView(uint64_t offset, uint64_t bytes) const {
    const auto key = std::make_pair(offset, bytes);
    if (auto found = views_.find(key); found != views_.end()) return found->second;
    VkBufferViewCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO};
    info.buffer = buffer_;
    info.format = VK_FORMAT_R32G32B32A32_UINT;
    info.offset = offset;
    info.range = bytes;
    VkBufferView view = VK_NULL_HANDLE;
    if (vkCreateBufferView(device_, &info, nullptr, &view) != VK_SUCCESS) return VK_NULL_HANDLE;
    views_.emplace(key, view);
    return view;
}

DeviceBuffer::~DeviceBuffer() {
    for (const auto& [range, view] : views_) vkDestroyBufferView(device_, view, nullptr);
    if (mapped_) vkUnmapMemory(device_, memory_);
    if (buffer_ != VK_NULL_HANDLE) vkDestroyBuffer(device_, buffer_, nullptr);
    if (memory_ != VK_NULL_HANDLE) vkFreeMemory(device_, memory_, nullptr);
}

} // namespace lucent::vk
