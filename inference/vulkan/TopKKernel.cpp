#include "inference/vulkan/Kernels.h"

#include "inference/vulkan/VulkanContext.h"

#include <cassert>

namespace lucent::vk {
namespace {

constexpr uint32_t kTopKWorkgroup = 256;
constexpr uint32_t kTopKItems = 4;
constexpr uint32_t kChunk = kTopKWorkgroup * kTopKItems;

uint32_t chunksOf(uint32_t n) { return (n + kChunk - 1) / kChunk; }
uint64_t alignUp(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

/// The scratch holds two (values, ids) areas the passes ping-pong between, each large enough for
/// the first pass's output.
uint64_t areaBytes(const VulkanContext& context, uint32_t n, uint32_t k) {
    return alignUp(uint64_t(chunksOf(n)) * k * 4, context.limits().bindingAlignment);
}

} // namespace

uint64_t topKScratchBytes(const VulkanContext& context, uint32_t n, uint32_t k) { return 4 * areaBytes(context, n, k); }

void recordTopK(ComputeBatch& batch, const BufferRange& values, uint32_t n, uint32_t k, const BufferRange& scratch,
                const BufferRange& outValues, const BufferRange& outIds) {
    assert(k >= 1 && k <= kMaxTopK);
    const uint64_t area = areaBytes(batch.context(), n, k);
    auto part = [&](int i) { return BufferRange{scratch.buffer, scratch.offset + uint64_t(i) * area, area}; };
    BufferRange inValues = values, inIds = values; // ids unused on the first pass
    uint32_t count = n, pass = 0;
    for (;;) {
        const uint32_t chunks = chunksOf(count);
        const bool last = chunks == 1;
        const BufferRange nextValues = last ? outValues : part(2 * int(pass % 2));
        const BufferRange nextIds = last ? outIds : part(2 * int(pass % 2) + 1);
        const uint32_t push[] = {count, k, pass == 0 ? 0u : 1u};
        const auto [gx, gy] = batch.groups1D(chunks);
        batch.dispatch("topk", {kTopKWorkgroup, kTopKItems}, {inValues, inIds, nextValues, nextIds}, push, sizeof push, gx, gy);
        if (last) return;
        batch.barrier();
        inValues = nextValues;
        inIds = nextIds;
        count = chunks * k;
        ++pass;
    }
}

} // namespace lucent::vk
