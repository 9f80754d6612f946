#pragma once
/// @file
/// @brief Turning a failed VkResult into a lucent::Error a user can read.

#include "inference/core/Expected.h"

#include <vulkan/vulkan.h>

#include <string>

namespace lucent::vk {

/// @brief "VK_ERROR_OUT_OF_DEVICE_MEMORY" for VK_ERROR_OUT_OF_DEVICE_MEMORY.
const char* resultName(VkResult result);

/// @brief "The Vulkan driver failed to <what> (VK_ERROR_…)." as an Error.
Error failure(const std::string& what, VkResult result);

} // namespace lucent::vk
