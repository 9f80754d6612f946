#include "inference/vulkan/PipelineCache.h"

#include "inference/vulkan/ShaderLibrary.h"
#include "inference/vulkan/VulkanCheck.h"
#include "inference/vulkan/VulkanContext.h"

namespace lucent::vk {
namespace {

constexpr uint32_t kPushConstantBytes = 128;

void destroy(VkDevice device, ComputePipeline& p) {
    if (p.pipeline != VK_NULL_HANDLE) vkDestroyPipeline(device, p.pipeline, nullptr);
    if (p.layout != VK_NULL_HANDLE) vkDestroyPipelineLayout(device, p.layout, nullptr);
    if (p.setLayout != VK_NULL_HANDLE) vkDestroyDescriptorSetLayout(device, p.setLayout, nullptr);
}

/// Owns a half-built pipeline until build() hands it out, so every early return cleans up.
struct PipelineGuard {
    VkDevice device;
    std::unique_ptr<ComputePipeline> pipeline = std::make_unique<ComputePipeline>();
    ~PipelineGuard() {
        if (pipeline) destroy(device, *pipeline);
    }
};

} // namespace

PipelineCache::~PipelineCache() {
    for (auto& [key, pipeline] : pipelines_) destroy(context_.device(), *pipeline);
}

Expected<const ComputePipeline*> PipelineCache::get(const PipelineKey& key) {
    if (auto found = pipelines_.find(key); found != pipelines_.end()) return found->second.get();
    auto built = build(key);
    if (!built) return fail(built.error());
    const ComputePipeline* pipeline = built->get();
    pipelines_.emplace(key, std::move(*built));
    return pipeline;
}

Expected<std::unique_ptr<ComputePipeline>> PipelineCache::build(const PipelineKey& key) const {
    const std::span<const uint32_t> code = embeddedShader(key.shader);
    if (code.empty()) return fail("Lucent has no compute shader named '" + key.shader + "' (a bug in this build).");
    const VkDevice device = context_.device();
    PipelineGuard guard{device};
    ComputePipeline& p = *guard.pipeline;
    p.bindingCount = key.bindingCount;

    // layouts: N storage (or uniform texel) buffers, push constants
    std::vector<VkDescriptorSetLayoutBinding> bindings(key.bindingCount);
    for (uint32_t i = 0; i < key.bindingCount; ++i)
        bindings[i] = {i, (key.texelBindings >> i) & 1u ? VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1,
                       VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
    VkDescriptorSetLayoutCreateInfo setInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    setInfo.bindingCount = key.bindingCount;
    setInfo.pBindings = bindings.data();
    if (VkResult r = vkCreateDescriptorSetLayout(device, &setInfo, nullptr, &p.setLayout); r != VK_SUCCESS)
        return fail(failure("create a descriptor set layout", r));
    const VkPushConstantRange push{VK_SHADER_STAGE_COMPUTE_BIT, 0, kPushConstantBytes};
    VkPipelineLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    layoutInfo.setLayoutCount = 1;
    layoutInfo.pSetLayouts = &p.setLayout;
    layoutInfo.pushConstantRangeCount = 1;
    layoutInfo.pPushConstantRanges = &push;
    if (VkResult r = vkCreatePipelineLayout(device, &layoutInfo, nullptr, &p.layout); r != VK_SUCCESS)
        return fail(failure("create a pipeline layout", r));

    // shader module and specialization
    VkShaderModuleCreateInfo moduleInfo{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    moduleInfo.codeSize = code.size_bytes();
    moduleInfo.pCode = code.data();
    VkShaderModule module = VK_NULL_HANDLE;
    if (VkResult r = vkCreateShaderModule(device, &moduleInfo, nullptr, &module); r != VK_SUCCESS)
        return fail(failure("load shader " + key.shader, r));
    std::vector<VkSpecializationMapEntry> entries;
    for (uint32_t i = 0; i < key.specialization.size(); ++i) entries.push_back({i, i * 4, 4});
    VkSpecializationInfo specialization{uint32_t(entries.size()), entries.data(), key.specialization.size() * 4, key.specialization.data()};

    VkComputePipelineCreateInfo info{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    info.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
    info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    info.stage.module = module;
    info.stage.pName = "main";
    info.stage.pSpecializationInfo = &specialization;
    info.layout = p.layout;
    const VkResult r = vkCreateComputePipelines(device, VK_NULL_HANDLE, 1, &info, nullptr, &p.pipeline);
    vkDestroyShaderModule(device, module, nullptr);
    if (r != VK_SUCCESS) return fail(failure("build the compute pipeline " + key.shader, r));
    return std::move(guard.pipeline);
}

} // namespace lucent::vk
