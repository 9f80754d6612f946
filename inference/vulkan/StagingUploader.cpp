#include "inference/vulkan/StagingUploader.h"

#include "inference/vulkan/VulkanCheck.h"
#include "inference/vulkan/VulkanContext.h"

#include <algorithm>
#include <cstring>

namespace lucent::vk {

Expected<std::unique_ptr<StagingUploader>> StagingUploader::create(const VulkanContext& context, uint64_t segmentBytes, uint32_t segments) {
    std::unique_ptr<StagingUploader> self(new StagingUploader(context));
    for (uint32_t i = 0; i < segments; ++i) {
        Segment segment;
        auto buffer = DeviceBuffer::create(context, segmentBytes, MemoryUse::Upload);
        if (!buffer) return fail(buffer.error());
        segment.buffer = std::move(*buffer);
        VkCommandBufferAllocateInfo allocateInfo{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
        allocateInfo.commandPool = context.commandPool();
        allocateInfo.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
        allocateInfo.commandBufferCount = 1;
        if (VkResult r = vkAllocateCommandBuffers(context.device(), &allocateInfo, &segment.commands); r != VK_SUCCESS)
            return fail(failure("allocate a command buffer", r));
        VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
        if (VkResult r = vkCreateFence(context.device(), &fenceInfo, nullptr, &segment.fence); r != VK_SUCCESS)
            return fail(failure("create a fence", r));
        self->segments_.push_back(std::move(segment));
    }
    return self;
}

StagingUploader::~StagingUploader() {
    for (Segment& segment : segments_) {
        if (segment.inFlight) vkWaitForFences(context_.device(), 1, &segment.fence, VK_TRUE, UINT64_MAX);
        if (segment.fence != VK_NULL_HANDLE) vkDestroyFence(context_.device(), segment.fence, nullptr);
        if (segment.commands != VK_NULL_HANDLE) vkFreeCommandBuffers(context_.device(), context_.commandPool(), 1, &segment.commands);
    }
}

void StagingUploader::expect(uint64_t totalBytes, UploadProgress progress) {
    done_ = 0;
    total_ = totalBytes;
    progress_ = std::move(progress);
}

void StagingUploader::advance(uint64_t bytes) {
    done_ += bytes;
    if (progress_) progress_(done_, std::max(total_, done_));
}

Expected<void> StagingUploader::wait(Segment& segment) {
    if (!segment.inFlight) return {};
    if (VkResult r = vkWaitForFences(context_.device(), 1, &segment.fence, VK_TRUE, UINT64_MAX); r != VK_SUCCESS) {
        context_.noteResult(r);
        segment.inFlight = false; // nothing will signal it any more
        return fail(failure("wait for an upload to finish", r));
    }
    vkResetFences(context_.device(), 1, &segment.fence);
    segment.inFlight = false;
    return {};
}

Expected<void> StagingUploader::upload(const BufferRange& destination, const uint8_t* source, uint64_t bytes) {
    bytes = std::min(bytes, destination.bytes);
    if (uint8_t* mapped = destination.buffer->mapped()) {
        // direct: the device reads host-visible coherent memory, no copy command needed
        std::memcpy(mapped + destination.offset, source, bytes);
        advance(bytes);
        return {};
    }
    for (uint64_t at = 0; at < bytes;) {
        // staged: fill the next segment once its previous copy is done, then let the GPU copy it
        Segment& segment = segments_[next_];
        next_ = (next_ + 1) % segments_.size();
        if (auto waited = wait(segment); !waited) return waited;
        const uint64_t piece = std::min(bytes - at, segment.buffer->bytes());
        std::memcpy(segment.buffer->mapped(), source + at, piece);

        VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
        begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
        vkBeginCommandBuffer(segment.commands, &begin);
        const VkBufferCopy region{0, destination.offset + at, piece};
        vkCmdCopyBuffer(segment.commands, segment.buffer->handle(), destination.buffer->handle(), 1, &region);
        vkEndCommandBuffer(segment.commands);
        VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
        submit.commandBufferCount = 1;
        submit.pCommandBuffers = &segment.commands;
        if (VkResult r = vkQueueSubmit(context_.queue(), 1, &submit, segment.fence); r != VK_SUCCESS) {
            context_.noteResult(r);
            return fail(failure("submit an upload", r));
        }
        segment.inFlight = true;
        ++stagedPieces_;
        at += piece;
        advance(piece);
    }
    return {};
}

Expected<void> StagingUploader::finish() {
    for (Segment& segment : segments_)
        if (auto waited = wait(segment); !waited) return waited;
    return {};
}

} // namespace lucent::vk
