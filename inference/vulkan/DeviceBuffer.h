#pragma once
/// @file
/// @brief A VkBuffer with its own VkDeviceMemory (one allocation per buffer, as the chunks are
/// large), in device-local or host-visible memory.

#include "inference/core/Expected.h"

#include <vulkan/vulkan.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>

namespace lucent::vk {

class VulkanContext;

/// @brief Where a buffer lives.
enum class MemoryUse {
    Device,   ///< kernels read and write it: DEVICE_LOCAL, preferring also HOST_VISIBLE (ReBAR/UMA)
    Upload,   ///< the host writes, the device reads (staging, per-token parameters): HOST_VISIBLE|COHERENT
    Readback, ///< the device writes, the host reads: HOST_VISIBLE|COHERENT, CACHED preferred
};

/// @brief Owns one buffer and its memory; mapped for its lifetime when host-visible.
class DeviceBuffer {
public:
    /// @brief Allocates `bytes` (≤ the context's maxAllocationBytes). Out of memory gives an Error
    /// that names the bytes needed and the bytes the heap has.
    static Expected<std::unique_ptr<DeviceBuffer>> create(const VulkanContext& context, uint64_t bytes, MemoryUse use);
    ~DeviceBuffer();
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;

    VkBuffer handle() const { return buffer_; }
    uint64_t bytes() const { return bytes_; }
    /// @brief The host address of the memory, or null when it is not host-visible.
    uint8_t* mapped() const { return mapped_; }
    /// @brief A view of `bytes` at `offset` as uvec4 texels (R32G32B32A32_UINT), made on first
    /// use and kept as long as the buffer; VK_NULL_HANDLE when it cannot be made.
    VkBufferView texelView(uint64_t offset, uint64_t bytes) const;

private:
    DeviceBuffer() = default;
    mutable std::map<std::pair<uint64_t, uint64_t>, VkBufferView> views_;
    VkDevice device_ = VK_NULL_HANDLE;
    VkBuffer buffer_ = VK_NULL_HANDLE;
    VkDeviceMemory memory_ = VK_NULL_HANDLE;
    uint64_t bytes_ = 0;
    uint8_t* mapped_ = nullptr;
};

/// @brief A byte range of a buffer, as one descriptor binds it.
struct BufferRange {
    const DeviceBuffer* buffer = nullptr;
    uint64_t offset = 0;
    uint64_t bytes = 0;
    bool texels = false; ///< bound as a uniform texel buffer of uvec4 (usamplerBuffer), not a storage buffer
};

/// @brief `range` bound as uvec4 texels (offset and bytes multiples of 16).
inline BufferRange asTexels(BufferRange range) {
    range.texels = true;
    return range;
}

/// @brief The whole buffer as a range.
inline BufferRange wholeBuffer(const DeviceBuffer& buffer) { return {&buffer, 0, buffer.bytes()}; }

/// @brief "1.5 GiB" / "820 MiB" / "12 KiB" for messages.
std::string formatBytes(uint64_t bytes);

} // namespace lucent::vk
