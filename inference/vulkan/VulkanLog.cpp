#include "inference/vulkan/VulkanLog.h"

#include <cstdio>

namespace lucent::vk {

void logToStderr(LogLevel level, std::string_view message) {
    if (level == LogLevel::Info) return;
    std::fprintf(stderr, "lucent.vulkan: %s: %.*s\n", level == LogLevel::Error ? "error" : "warning", int(message.size()),
                 message.data());
}

} // namespace lucent::vk
