#pragma once
/// @file
/// @brief A VkBuffer with its own VkDeviceMemory (one allocation per buffer, as the chunks are
/// large), in device-local or host-visible memory.

#include "inference/core/Expected.h"

#include <vulkan/vulkan.h>

#include <cstdint>
#include <memory>
#include <string>

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

private:
    DeviceBuffer() = default;
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
};

/// @brief The whole buffer as a range.
inline BufferRange wholeBuffer(const DeviceBuffer& buffer) { return {&buffer, 0, buffer.bytes()}; }

/// @brief "1.5 GiB" / "820 MiB" / "12 KiB" for messages.
std::string formatBytes(uint64_t bytes);

} // namespace lucent::vk
