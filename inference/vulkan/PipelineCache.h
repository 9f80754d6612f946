#pragma once
/// @file
/// @brief Compute pipelines built on first use from the embedded SPIR-V and kept for the life of
/// the device, keyed by shader name and specialization constants (workgroup size first).
///
/// Every pipeline binds N storage buffers at set 0, bindings 0…N−1, and takes up to 128 bytes of
/// push constants (the minimum every device offers). No VkPipelineCache: llama.cpp measured no
/// gain from one (ENGINE.md §3).

#include "inference/core/Expected.h"

#include <vulkan/vulkan.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lucent::vk {

class VulkanContext;

/// @brief One compute pipeline and the layouts it was built with.
struct ComputePipeline {
    VkPipeline pipeline = VK_NULL_HANDLE;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
    uint32_t bindingCount = 0;
};

/// @brief What selects a pipeline.
struct PipelineKey {
    std::string shader;
    uint32_t bindingCount = 0;
    std::vector<uint32_t> specialization; ///< constant_id 0, 1, … in order
    uint32_t texelBindings = 0;           ///< bit i: binding i is a uniform texel buffer, not a storage buffer
    auto operator<=>(const PipelineKey&) const = default;
};

/// @brief The pipelines of one device. Not thread-safe: one recorder thread uses it.
class PipelineCache {
public:
    explicit PipelineCache(const VulkanContext& context) : context_(context) {}
    ~PipelineCache();
    PipelineCache(const PipelineCache&) = delete;
    PipelineCache& operator=(const PipelineCache&) = delete;

    /// @brief The pipeline for `key`, built now if it is new. Errors: unknown shader name, or the
    /// driver rejecting it.
    Expected<const ComputePipeline*> get(const PipelineKey& key);
    /// @brief Pipelines built so far.
    size_t size() const { return pipelines_.size(); }

private:
    Expected<std::unique_ptr<ComputePipeline>> build(const PipelineKey& key) const;
    const VulkanContext& context_;
    std::map<PipelineKey, std::unique_ptr<ComputePipeline>> pipelines_;
};

} // namespace lucent::vk
