#include "inference/vulkan/DispatchProfiler.h"

#include "inference/vulkan/VulkanContext.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace lucent::vk {

std::unique_ptr<DispatchProfiler> DispatchProfiler::createIfWanted(const VulkanContext& context, uint32_t maxDispatches) {
    const char* wanted = std::getenv("LUCENT_VK_PROFILE");
    if (!wanted || !*wanted || std::string(wanted) == "0" || context.info().caps.timestampPeriodNs <= 0) return nullptr;
    std::unique_ptr<DispatchProfiler> self(new DispatchProfiler(context));
    VkQueryPoolCreateInfo info{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
    info.queryType = VK_QUERY_TYPE_TIMESTAMP;
    info.queryCount = maxDispatches + 1;
    if (vkCreateQueryPool(context.device(), &info, nullptr, &self->pool_) != VK_SUCCESS) return nullptr;
    self->capacity_ = maxDispatches + 1;
    self->byGroups_ = std::string(wanted) == "groups";
    return self;
}

DispatchProfiler::~DispatchProfiler() {
    if (pool_ != VK_NULL_HANDLE) vkDestroyQueryPool(context_.device(), pool_, nullptr);
    double all = 0;
    for (const auto& [shader, total] : totals_) all += total.ns;
    if (all <= 0) return;
    std::vector<std::pair<std::string, Total>> rows(totals_.begin(), totals_.end());
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.ns > b.second.ns; });
    std::fprintf(stderr, "%-34s %10s %12s %10s %6s\n", "shader", "dispatches", "total µs", "mean µs", "share");
    for (const auto& [shader, total] : rows)
        std::fprintf(stderr, "%-34s %10llu %12.0f %10.1f %5.1f%%\n", shader.c_str(), static_cast<unsigned long long>(total.count), total.ns / 1e3,
                     total.ns / 1e3 / double(total.count), 100.0 * total.ns / all);
}

void DispatchProfiler::begin(VkCommandBuffer commands) {
    names_.clear();
    vkCmdResetQueryPool(commands, pool_, 0, capacity_);
    vkCmdWriteTimestamp(commands, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, pool_, 0);
}

void DispatchProfiler::afterDispatch(VkCommandBuffer commands, const std::string& shader, uint32_t groups) {
    if (names_.size() + 1 >= capacity_) return;
    names_.push_back(byGroups_ ? shader + " ×" + std::to_string(groups) : shader);
    vkCmdWriteTimestamp(commands, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, pool_, uint32_t(names_.size()));
}

void DispatchProfiler::collect() {
    if (names_.empty()) return;
    std::vector<uint64_t> stamps(names_.size() + 1);
    if (vkGetQueryPoolResults(context_.device(), pool_, 0, uint32_t(stamps.size()), stamps.size() * 8, stamps.data(), 8,
                              VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT) != VK_SUCCESS)
        return;
    const double period = context_.info().caps.timestampPeriodNs;
    for (size_t i = 0; i < names_.size(); ++i) {
        Total& total = totals_[names_[i]];
        ++total.count;
        total.ns += double(stamps[i + 1] - stamps[i]) * period;
    }
    // the names stay: a kept recording writes the same timestamps when it runs again
}

} // namespace lucent::vk
