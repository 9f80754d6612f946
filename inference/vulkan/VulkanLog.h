#pragma once
/// @file
/// @brief Where the Vulkan backend's messages go: validation-layer reports and driver notes are
/// routed through one callback and counted, so tests can assert that a run raised no validation
/// error. The app installs a sink that forwards to its `lucent.vulkan` logging category.

#include <atomic>
#include <functional>
#include <string_view>

namespace lucent::vk {

/// @brief How serious a message is.
enum class LogLevel { Info, Warning, Error };

/// @brief Receives every message; must be thread-safe (the validation layer calls it from any
/// thread that makes a Vulkan call).
using LogSink = std::function<void(LogLevel, std::string_view message)>;

/// @brief Counts of what the validation layer reported since the instance was created.
struct ValidationCounters {
    std::atomic<int> errors{0};
    std::atomic<int> warnings{0};
};

/// @brief The default sink: warnings and errors to stderr prefixed "lucent.vulkan:", info dropped.
void logToStderr(LogLevel level, std::string_view message);

} // namespace lucent::vk
