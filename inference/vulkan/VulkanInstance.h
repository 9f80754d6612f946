#pragma once
/// @file
/// @brief The Vulkan instance: API version 1.2 or newer, the Khronos validation layer when asked
/// for, and a debug messenger that routes the layer's reports into a LogSink and counts them.

#include "inference/core/Expected.h"
#include "inference/vulkan/VulkanLog.h"

#include <vulkan/vulkan.h>

#include <memory>
#include <vector>

namespace lucent::vk {

/// @brief How to create the instance.
struct InstanceOptions {
    /// Enable VK_LAYER_KHRONOS_validation (with synchronization validation). Also turned on by the
    /// environment variable LUCENT_VULKAN_VALIDATION=1. A missing layer is a warning, not an error.
    bool validation = false;
    LogSink log = logToStderr;
};

/// @brief Owns a VkInstance (and its debug messenger); move-only through unique_ptr.
class VulkanInstance {
public:
    /// @brief Creates the instance. Errors: no Vulkan loader or driver, or only Vulkan 1.0/1.1.
    static Expected<std::unique_ptr<VulkanInstance>> create(const InstanceOptions& options);
    ~VulkanInstance();
    VulkanInstance(const VulkanInstance&) = delete;
    VulkanInstance& operator=(const VulkanInstance&) = delete;

    VkInstance handle() const { return instance_; }
    /// @brief The API version the instance was created with (≥ 1.2).
    uint32_t apiVersion() const { return apiVersion_; }
    /// @brief True when the validation layer is active.
    bool validating() const { return messenger_ != VK_NULL_HANDLE; }
    /// @brief What the validation layer reported so far.
    const ValidationCounters& validation() const { return counters_; }
    /// @brief Sends a message of the backend itself through the same sink.
    void log(LogLevel level, std::string_view message) const;
    /// @brief The physical devices the loader lists, in its order.
    std::vector<VkPhysicalDevice> physicalDevices() const;

private:
    VulkanInstance() = default;
    static VkBool32 VKAPI_PTR onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity, VkDebugUtilsMessageTypeFlagsEXT types,
                                        const VkDebugUtilsMessengerCallbackDataEXT* data, void* self);

    VkInstance instance_ = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
    uint32_t apiVersion_ = 0;
    LogSink log_;
    ValidationCounters counters_;
};

} // namespace lucent::vk
