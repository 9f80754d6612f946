#include "inference/vulkan/DeviceList.h"

#include "inference/vulkan/VulkanInstance.h"

#include <algorithm>

namespace lucent::vk {

std::vector<DeviceInfo> orderDevices(std::vector<DeviceInfo> probed) {
    std::vector<DeviceInfo> unique;
    for (auto& device : probed) {
        const bool seen = std::any_of(unique.begin(), unique.end(), [&](const DeviceInfo& d) {
            return d.uuid == device.uuid && device.uuid != std::array<uint8_t, VK_UUID_SIZE>{};
        });
        if (!seen) unique.push_back(std::move(device));
    }
    // DeviceKind is declared in order of preference.
    std::stable_sort(unique.begin(), unique.end(), [](const DeviceInfo& a, const DeviceInfo& b) { return a.kind < b.kind; });
    return unique;
}

std::vector<DeviceInfo> listDevices(const VulkanInstance& instance) {
    std::vector<DeviceInfo> probed;
    for (VkPhysicalDevice device : instance.physicalDevices()) probed.push_back(probeDevice(device, instance.apiVersion()));
    return orderDevices(std::move(probed));
}

Expected<size_t> chooseDevice(const std::vector<DeviceInfo>& devices, std::optional<int> requested) {
    if (devices.empty())
        return fail("No Vulkan device was found. Install your GPU's Vulkan driver (or mesa-vulkan-drivers), or use the CPU backend.");
    if (requested) {
        if (*requested < 0 || size_t(*requested) >= devices.size())
            return fail("There is no Vulkan device " + std::to_string(*requested) + "; valid devices are 0 to " +
                        std::to_string(devices.size() - 1) + " (see `lucent-cli devices`).");
        const DeviceInfo& device = devices[size_t(*requested)];
        if (!device.supported()) return fail("Vulkan device " + std::to_string(*requested) + " cannot run Lucent: " + device.unsupportedReason);
        return size_t(*requested);
    }
    for (size_t i = 0; i < devices.size(); ++i)
        if (devices[i].supported() && devices[i].kind != DeviceKind::Cpu) return i;
    for (size_t i = 0; i < devices.size(); ++i)
        if (devices[i].supported()) return i;
    return fail("No Vulkan device here can run Lucent: " + devices.front().unsupportedReason);
}

} // namespace lucent::vk
