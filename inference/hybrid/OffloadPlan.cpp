#include "inference/hybrid/OffloadPlan.h"

#include "inference/vulkan/DeviceBuffer.h"
#include "inference/vulkan/VulkanContext.h"
#include "inference/vulkan/VulkanModel.h"

#include <algorithm>

namespace lucent {
namespace {

// Held back from what the driver reports free. What the plan cannot see: the driver's own objects
// for this process (pipelines, descriptor and command pools, the upload staging ring, 4 × 16 MiB,
// which sit in device-local memory on ReBAR and unified-memory GPUs), and other programs (compositor, browser) growing after the budget
// was read, which scales with the card. 256 MiB plus 2% of the budget covers both with room: 420 MiB
// of an 8 GiB card, 750 MiB of a 24 GiB one. Running out mid-load costs a failed load; a layer too
// few costs a few percent of speed.
constexpr uint64_t kMarginFixedBytes = uint64_t(256) << 20;
constexpr uint64_t kMarginPerMille = 20;

uint64_t alignUp(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

/// A tensor as TensorStore places it: rows padded to 16 bytes, the next tensor on an aligned offset.
uint64_t deviceBytes(const WeightView& view, uint64_t alignment) {
    if (!view.present()) return 0;
    return alignUp(alignUp(rowBytes(view.type, view.cols) * view.rows, vk::kSlicePadding), alignment);
}

} // namespace

uint64_t OffloadNeeds::bytesFor(uint32_t gpuLayers) const {
    if (gpuLayers == 0) return 0;
    uint64_t bytes = sharedBytes;
    for (uint32_t l = 0; l < std::min(gpuLayers, layers()); ++l) bytes += layerBytes[l];
    if (gpuLayers >= layers()) bytes += headBytes;
    return bytes;
}

OffloadNeeds offloadNeeds(const ModelConfig& config, const ModelWeights& weights, uint32_t contextLength, uint32_t maxBatch,
                          uint64_t bindingAlignment, vk::KvCacheType kvCache) {
    const uint64_t a = std::max<uint64_t>(bindingAlignment, vk::kSlicePadding);
    const uint32_t batch = std::clamp<uint32_t>(maxBatch, 1, std::max<uint32_t>(contextLength, 1)); // as VulkanModel clamps it
    OffloadNeeds needs;
    const uint64_t partialRun = vk::VulkanModel::runStateBytes(config, contextLength, batch, a, false);
    const uint64_t fullRun = vk::VulkanModel::runStateBytes(config, contextLength, batch, a, true);
    needs.sharedBytes = deviceBytes(weights.tokenEmbd, a) + partialRun;
    const uint64_t kvBytes = 2 * vk::kvCacheBytes(config.kvDim(), kvCache, contextLength); // K and V
    for (const LayerWeights& w : weights.layers) {
        uint64_t bytes = kvBytes;
        for (const WeightView* view : {&w.attnNorm, &w.wq, &w.wk, &w.wv, &w.bq, &w.bk, &w.bv, &w.qNorm, &w.kNorm, &w.wo, &w.ffnNorm,
                                       &w.wGate, &w.wUp, &w.wDown})
            bytes += deviceBytes(*view, a);
        needs.layerBytes.push_back(bytes);
    }
    const bool tied = weights.output.data == weights.tokenEmbd.data;
    // the whole model reads logits back instead of the hidden state
    needs.headBytes = deviceBytes(weights.outputNorm, a) + (tied ? 0 : deviceBytes(weights.output, a)) + fullRun - partialRun;
    return needs;
}

uint64_t bindingAlignmentOf(const vk::DeviceInfo& device) {
    return std::max<uint64_t>(device.caps.minStorageBufferOffsetAlignment, vk::kSlicePadding);
}

DeviceMemory plannableMemory(const vk::DeviceInfo& device, std::optional<uint64_t> capBytes) {
    uint64_t budget = 0, usage = 0;
    for (const vk::MemoryHeap& heap : device.caps.heaps)
        if (heap.deviceLocal && heap.budgetBytes > budget) budget = heap.budgetBytes, usage = heap.usageBytes;
    DeviceMemory memory;
    memory.marginBytes = kMarginFixedBytes + budget / 1000 * kMarginPerMille;
    const uint64_t unused = budget > usage ? budget - usage : 0;
    memory.freeBytes = unused > memory.marginBytes ? unused - memory.marginBytes : 0;
    if (capBytes && *capBytes < memory.freeBytes) {
        memory.freeBytes = *capBytes;
        memory.capped = true;
    }
    return memory;
}

Expected<void> checkContextBinds(const ModelConfig& config, uint32_t contextLength, const vk::DeviceInfo& device, vk::KvCacheType kvCache) {
    const uint64_t cacheBytes = vk::kvCacheBytes(config.kvDim(), kvCache, contextLength);
    if (cacheBytes > std::min(device.caps.maxStorageBufferRange, device.caps.maxMemoryAllocationSize))
        return fail("A context of " + std::to_string(contextLength) + " tokens needs " + vk::formatBytes(cacheBytes) +
                    " of KV cache per layer, more than " + device.name + " can bind at once; choose a shorter context.");
    return {};
}

uint32_t largestFit(const OffloadNeeds& needs, uint64_t freeBytes) {
    uint32_t n = 0;
    while (n < needs.layers() && needs.bytesFor(n + 1) <= freeBytes) ++n;
    return n;
}

Expected<uint32_t> chooseGpuLayers(const OffloadNeeds& needs, const DeviceMemory& memory, std::optional<uint32_t> forced,
                                   const std::string& deviceName) {
    if (!forced) return largestFit(needs, memory.freeBytes);
    if (*forced > needs.layers())
        return fail("This model has " + std::to_string(needs.layers()) + " layers, so at most " + std::to_string(needs.layers()) +
                    " can run on the GPU, not " + std::to_string(*forced) + ".");
    if (needs.bytesFor(*forced) > memory.freeBytes) {
        const uint32_t fits = largestFit(needs, memory.freeBytes);
        return fail(std::to_string(*forced) + " layers on " + deviceName + " need " + vk::formatBytes(needs.bytesFor(*forced)) + " but " +
                    (memory.capped ? "the GPU memory budget is " : "it has ") + vk::formatBytes(memory.freeBytes) +
                    (memory.capped ? "" : " free") + "; " +
                    (fits ? "at most " + std::to_string(fits) + " fit. Choose fewer GPU layers or auto."
                          : "not even one layer fits. Use the CPU backend."));
    }
    return *forced;
}

} // namespace lucent
