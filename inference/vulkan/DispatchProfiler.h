#pragma once
/// @file
/// @brief Device time per kernel, for speed work: with LUCENT_VK_PROFILE=1 in the environment
/// every ComputeBatch writes a timestamp after each dispatch, and the time between consecutive
/// timestamps is charged to the dispatch's shader. At exit (of the batch) a table goes to stderr:
/// shader, dispatches, total and mean microseconds, share of the whole.

#include <vulkan/vulkan.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lucent::vk {

class VulkanContext;

class DispatchProfiler {
public:
    /// @brief A profiler when LUCENT_VK_PROFILE is set and the device has timestamps, else null.
    static std::unique_ptr<DispatchProfiler> createIfWanted(const VulkanContext& context, uint32_t maxDispatches);
    ~DispatchProfiler();
    DispatchProfiler(const DispatchProfiler&) = delete;
    DispatchProfiler& operator=(const DispatchProfiler&) = delete;

    /// @brief Resets the queries and writes the starting timestamp.
    void begin(VkCommandBuffer commands);
    /// @brief Writes the timestamp that ends dispatch `shader` of `groups` workgroups
    /// (LUCENT_VK_PROFILE=groups: charged to shader and workgroup count, telling shapes apart).
    void afterDispatch(VkCommandBuffer commands, const std::string& shader, uint32_t groups);
    /// @brief Reads the finished batch's timestamps into the totals.
    void collect();

private:
    DispatchProfiler(const VulkanContext& context) : context_(context) {}

    struct Total {
        uint64_t count = 0;
        double ns = 0;
    };
    const VulkanContext& context_;
    VkQueryPool pool_ = VK_NULL_HANDLE;
    uint32_t capacity_ = 0;
    bool byGroups_ = false;
    std::vector<std::string> names_;
    std::map<std::string, Total> totals_;
};

} // namespace lucent::vk
