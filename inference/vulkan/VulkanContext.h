#pragma once
/// @file
/// @brief One open Vulkan device: the instance, the chosen physical device and its probe, the
/// logical device with one compute queue, and the memory limits every allocation respects.

#include "inference/core/Expected.h"
#include "inference/vulkan/DeviceInfo.h"
#include "inference/vulkan/VulkanInstance.h"

#include <vulkan/vulkan.h>

#include <memory>
#include <optional>

namespace lucent::vk {

/// @brief How to open the device.
struct ContextOptions {
    InstanceOptions instance;
    /// Index into listDevices(); automatic choice when empty (see chooseDevice()).
    std::optional<int> device;
    /// Test hooks: pretend the device binds at most this many bytes per storage buffer, or
    /// allocates at most this many per VkDeviceMemory (0: the device's own limits).
    uint64_t forceMaxBindingBytes = 0;
    uint64_t forceMaxAllocationBytes = 0;
    /// Never place device buffers in host-visible memory, so uploads take the staging path.
    bool avoidHostVisibleDeviceMemory = false;
    /// Fault injection: the n-th ComputeBatch submission (1-based) reports VK_ERROR_DEVICE_LOST
    /// after it ran, as a driver does after a watchdog reset (0: never). A real loss cannot be
    /// provoked portably.
    uint32_t simulateDeviceLostAtSubmit = 0;
};

/// @brief The limits placement uses: the device's, lowered by ContextOptions' test hooks.
struct MemoryLimits {
    uint64_t maxBindingBytes;    ///< one descriptor's range (maxStorageBufferRange)
    uint64_t maxAllocationBytes; ///< one buffer and its memory (min of allocation, buffer size, 1 GiB)
    uint64_t bindingAlignment;   ///< minStorageBufferOffsetAlignment, at least kSlicePadding
};

/// @brief Weight bindings start and end on 16-byte boundaries: kernels read them as uvec4.
constexpr uint64_t kSlicePadding = 16;

/// @brief The open device. Not copyable; every other Vulkan object borrows it and must die first.
class VulkanContext {
public:
    /// @brief Creates the instance, lists and chooses the device, creates the logical device.
    static Expected<std::unique_ptr<VulkanContext>> create(const ContextOptions& options);
    ~VulkanContext();
    VulkanContext(const VulkanContext&) = delete;
    VulkanContext& operator=(const VulkanContext&) = delete;

    const VulkanInstance& instance() const { return *instance_; }
    const DeviceInfo& info() const { return info_; }
    /// @brief Index of this device in listDevices().
    size_t deviceIndex() const { return deviceIndex_; }
    VkDevice device() const { return device_; }
    VkQueue queue() const { return queue_; }
    uint32_t queueFamily() const { return queueFamily_; }
    VkCommandPool commandPool() const { return commandPool_; }
    const VkPhysicalDeviceMemoryProperties& memoryProperties() const { return memoryProperties_; }
    const MemoryLimits& limits() const { return limits_; }
    bool avoidHostVisibleDeviceMemory() const { return avoidHostVisible_; }
    /// @brief True once the device reported VK_ERROR_DEVICE_LOST: nothing runs on it any more.
    bool lost() const { return lost_; }
    /// @brief Called by whoever sees VK_ERROR_DEVICE_LOST (or `result` of a submission, when the
    /// fault injection hook says this one fails); returns `result` or VK_ERROR_DEVICE_LOST.
    VkResult noteSubmission(VkResult result) const;
    /// @brief Remembers a VK_ERROR_DEVICE_LOST seen anywhere else (uploads, waits).
    void noteResult(VkResult result) const;
    /// @brief Validation errors reported so far (0 when validation is off).
    int validationErrors() const { return instance_->validation().errors.load(); }
    int validationWarnings() const { return instance_->validation().warnings.load(); }

private:
    VulkanContext() = default;
    Expected<void> createDevice();

    std::unique_ptr<VulkanInstance> instance_;
    DeviceInfo info_;
    size_t deviceIndex_ = 0;
    VkDevice device_ = VK_NULL_HANDLE;
    VkQueue queue_ = VK_NULL_HANDLE;
    uint32_t queueFamily_ = 0;
    VkCommandPool commandPool_ = VK_NULL_HANDLE;
    VkPhysicalDeviceMemoryProperties memoryProperties_{};
    MemoryLimits limits_{};
    bool avoidHostVisible_ = false;
    uint32_t simulateLostAt_ = 0;
    // written by the thread that submits, which is also the only one that reads them
    mutable uint32_t submissions_ = 0;
    mutable bool lost_ = false;
};

} // namespace lucent::vk
