#include "inference/vulkan/ComputeBatch.h"

#include "inference/vulkan/VulkanCheck.h"
#include "inference/vulkan/VulkanContext.h"

#include <cassert>

namespace lucent::vk {
namespace {

constexpr uint32_t kMaxBindingsPerDispatch = 8;

/// Every shader write and transfer (uploads, fills) before it, every shader access and transfer
/// after it.
void globalBarrier(VkCommandBuffer commands) {
    VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_HOST_WRITE_BIT;
    barrier.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    vkCmdPipelineBarrier(commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_HOST_BIT,
                         VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &barrier, 0, nullptr, 0, nullptr);
}

} // namespace

Expected<std::unique_ptr<ComputeBatch>> ComputeBatch::create(const VulkanContext& context, PipelineCache& pipelines, uint32_t maxDispatches) {
    std::unique_ptr<ComputeBatch> self(new ComputeBatch(context, pipelines));
    VkCommandBufferAllocateInfo allocateInfo{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    allocateInfo.commandPool = context.commandPool();
    allocateInfo.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    allocateInfo.commandBufferCount = 1;
    if (VkResult r = vkAllocateCommandBuffers(context.device(), &allocateInfo, &self->commands_); r != VK_SUCCESS)
        return fail(failure("allocate a command buffer", r));
    const VkDescriptorPoolSize sizes[] = {{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, maxDispatches * kMaxBindingsPerDispatch},
                                          {VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER, maxDispatches * 2}};
    VkDescriptorPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    poolInfo.maxSets = maxDispatches;
    poolInfo.poolSizeCount = 2;
    poolInfo.pPoolSizes = sizes;
    if (VkResult r = vkCreateDescriptorPool(context.device(), &poolInfo, nullptr, &self->pool_); r != VK_SUCCESS)
        return fail(failure("create a descriptor pool", r));
    VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    if (VkResult r = vkCreateFence(context.device(), &fenceInfo, nullptr, &self->fence_); r != VK_SUCCESS)
        return fail(failure("create a fence", r));
    self->profiler_ = DispatchProfiler::createIfWanted(context, maxDispatches);
    return self;
}

ComputeBatch::~ComputeBatch() {
    const VkDevice device = context_.device();
    if (inFlight_) vkWaitForFences(device, 1, &fence_, VK_TRUE, UINT64_MAX);
    profiler_.reset();
    if (recording_) vkEndCommandBuffer(commands_);
    if (fence_ != VK_NULL_HANDLE) vkDestroyFence(device, fence_, nullptr);
    if (pool_ != VK_NULL_HANDLE) vkDestroyDescriptorPool(device, pool_, nullptr);
    if (commands_ != VK_NULL_HANDLE) vkFreeCommandBuffers(device, context_.commandPool(), 1, &commands_);
}

void ComputeBatch::recordError(Error error) {
    if (!error_) error_ = std::move(error);
}

void ComputeBatch::begin(Recording kind) {
    if (inFlight_) {
        context_.noteResult(vkWaitForFences(context_.device(), 1, &fence_, VK_TRUE, UINT64_MAX));
        inFlight_ = false;
    }
    if (recording_) vkEndCommandBuffer(commands_);
    error_.reset();
    dispatches_ = 0;
    reusable_ = kind == Recording::Reusable;
    kept_ = false;
    vkResetDescriptorPool(context_.device(), pool_, 0);
    vkResetCommandBuffer(commands_, 0);
    VkCommandBufferBeginInfo beginInfo{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    beginInfo.flags = reusable_ ? 0 : VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    vkBeginCommandBuffer(commands_, &beginInfo);
    recording_ = true;
    // uploads and earlier batches wrote through other command buffers: order against them once
    globalBarrier(commands_);
    if (profiler_) profiler_->begin(commands_);
}

void ComputeBatch::dispatch(const std::string& shader, std::initializer_list<uint32_t> specialization,
                            std::initializer_list<BufferRange> bindings, const void* push, uint32_t pushBytes, uint32_t groupsX,
                            uint32_t groupsY, uint32_t groupsZ) {
    assert(recording_ && bindings.size() <= kMaxBindingsPerDispatch && pushBytes <= 128);
    if (error_) return;
    const auto& maxGroups = context_.info().caps.maxWorkgroupCount;
    if (groupsX > maxGroups[0] || groupsY > maxGroups[1] || groupsZ > maxGroups[2])
        return recordError(Error{"A " + shader + " dispatch needs more workgroups than " + context_.info().name + " allows (a bug)."});
    if (groupsX == 0 || groupsY == 0 || groupsZ == 0) return; // nothing to do
    uint32_t texelBindings = 0, bit = 1;
    for (const BufferRange& range : bindings) {
        if (range.texels) texelBindings |= bit;
        bit <<= 1;
    }
    auto pipeline = pipelines_.get({shader, uint32_t(bindings.size()), std::vector<uint32_t>(specialization), texelBindings});
    if (!pipeline) return recordError(pipeline.error());

    // descriptor set: one per dispatch, freed together when the pool is reset
    VkDescriptorSetAllocateInfo allocateInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    allocateInfo.descriptorPool = pool_;
    allocateInfo.descriptorSetCount = 1;
    allocateInfo.pSetLayouts = &(*pipeline)->setLayout;
    VkDescriptorSet set = VK_NULL_HANDLE;
    if (VkResult r = vkAllocateDescriptorSets(context_.device(), &allocateInfo, &set); r != VK_SUCCESS)
        return recordError(failure("allocate a descriptor set (too many dispatches in one batch)", r));
    VkDescriptorBufferInfo infos[kMaxBindingsPerDispatch];
    VkBufferView views[kMaxBindingsPerDispatch];
    VkWriteDescriptorSet writes[kMaxBindingsPerDispatch];
    uint32_t i = 0;
    for (const BufferRange& range : bindings) {
        assert(range.buffer && range.offset % context_.limits().bindingAlignment == 0 && range.bytes <= context_.limits().maxBindingBytes);
        writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        writes[i].dstSet = set;
        writes[i].dstBinding = i;
        writes[i].descriptorCount = 1;
        if (range.texels) {
            views[i] = range.buffer->texelView(range.offset, range.bytes);
            if (views[i] == VK_NULL_HANDLE) return recordError(Error{"Could not make a texel view for " + shader + " (a bug)."});
            writes[i].descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER;
            writes[i].pTexelBufferView = &views[i];
        } else {
            infos[i] = {range.buffer->handle(), range.offset, range.bytes};
            writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
            writes[i].pBufferInfo = &infos[i];
        }
        ++i;
    }
    vkUpdateDescriptorSets(context_.device(), i, writes, 0, nullptr);

    vkCmdBindPipeline(commands_, VK_PIPELINE_BIND_POINT_COMPUTE, (*pipeline)->pipeline);
    vkCmdBindDescriptorSets(commands_, VK_PIPELINE_BIND_POINT_COMPUTE, (*pipeline)->layout, 0, 1, &set, 0, nullptr);
    if (pushBytes) vkCmdPushConstants(commands_, (*pipeline)->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, pushBytes, push);
    vkCmdDispatch(commands_, groupsX, groupsY, groupsZ);
    if (profiler_) profiler_->afterDispatch(commands_, shader, groupsX * groupsY * groupsZ);
    ++dispatches_;
}

void ComputeBatch::barrier() {
    assert(recording_);
    globalBarrier(commands_);
}

void ComputeBatch::copy(const BufferRange& source, const BufferRange& destination) {
    assert(recording_ && source.bytes <= destination.bytes);
    const VkBufferCopy region{source.offset, destination.offset, source.bytes};
    vkCmdCopyBuffer(commands_, source.buffer->handle(), destination.buffer->handle(), 1, &region);
}

void ComputeBatch::fill(const BufferRange& range, uint32_t word) {
    assert(recording_);
    vkCmdFillBuffer(commands_, range.buffer->handle(), range.offset, range.bytes, word);
}

std::pair<uint32_t, uint32_t> ComputeBatch::groups1D(uint64_t groups) const {
    const uint64_t maxX = context_.info().caps.maxWorkgroupCount[0];
    if (groups <= maxX) return {uint32_t(groups), 1};
    return {uint32_t(maxX), uint32_t((groups + maxX - 1) / maxX)};
}

Expected<void> ComputeBatch::submitAndWait() {
    assert(recording_ || kept_);
    if (recording_) {
        // results the host reads back (mapped buffers) must be visible once the fence signals
        VkMemoryBarrier toHost{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
        toHost.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
        toHost.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
        vkCmdPipelineBarrier(commands_, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0,
                             1, &toHost, 0, nullptr, 0, nullptr);
        vkEndCommandBuffer(commands_);
        recording_ = false;
        if (error_) return fail(*error_);
        kept_ = reusable_;
    }
    // A lost device stays lost: every later call says so at once instead of touching it again.
    if (context_.lost()) return fail(failure("run GPU work", VK_ERROR_DEVICE_LOST));
    VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    submit.commandBufferCount = 1;
    submit.pCommandBuffers = &commands_;
    vkResetFences(context_.device(), 1, &fence_);
    if (VkResult r = vkQueueSubmit(context_.queue(), 1, &submit, fence_); r != VK_SUCCESS) {
        kept_ = false;
        return fail(failure("submit GPU work", context_.noteSubmission(r)));
    }
    inFlight_ = true;
    const VkResult waited = context_.noteSubmission(vkWaitForFences(context_.device(), 1, &fence_, VK_TRUE, UINT64_MAX));
    inFlight_ = false;
    if (waited != VK_SUCCESS) {
        kept_ = false;
        return fail(failure("finish GPU work", waited));
    }
    if (profiler_) profiler_->collect();
    return {};
}

} // namespace lucent::vk
