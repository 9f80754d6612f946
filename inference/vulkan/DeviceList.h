#pragma once
/// @file
/// @brief The devices Lucent can choose from, and which one it picks.
///
/// The list is deduplicated by device UUID (the same GPU can be exposed by two drivers, e.g. RADV
/// and AMDVLK) and ordered by preference: discrete, integrated, virtual, then CPU devices
/// (lavapipe), keeping the loader's order within a kind. Indices into this list are what
/// `lucent-cli devices` prints and `--device I` takes.

#include "inference/core/Expected.h"
#include "inference/vulkan/DeviceInfo.h"

#include <optional>
#include <vector>

namespace lucent::vk {

class VulkanInstance;

/// @brief Probes every physical device, drops UUID duplicates, sorts by preference.
std::vector<DeviceInfo> listDevices(const VulkanInstance& instance);

/// @brief Same, on already probed devices (tests feed it made-up ones).
std::vector<DeviceInfo> orderDevices(std::vector<DeviceInfo> probed);

/// @brief The index to use: `requested` when given (an error names the valid range, or why that
/// device cannot run Lucent), otherwise the first supported GPU; a CPU device (lavapipe) only when
/// nothing else is there, because it is far slower than Lucent's own CPU backend.
Expected<size_t> chooseDevice(const std::vector<DeviceInfo>& devices, std::optional<int> requested);

} // namespace lucent::vk
