#include "inference/vulkan/Kernels.h"

#include <algorithm>
#include <cmath>

namespace lucent::vk {

uint32_t attentionSplits(uint32_t kvLen) {
    // ~128 positions per split, at most 32 splits: enough workgroups to keep a GPU busy at decode
    // time (n_head_kv × splits: a workgroup computes every query head of its KV head), few enough
    // that the merge stays trivial.
    return std::clamp<uint32_t>((kvLen + 127) / 128, 1, 32);
}

uint64_t attentionPartialBytes(const HeadShape& shape, uint32_t splits, uint32_t nTokens) {
    return uint64_t(nTokens) * shape.nHead * splits * (2 + shape.headDim) * sizeof(float);
}

void recordAttention(ComputeBatch& batch, const HeadShape& shape, const BufferRange& position, uint32_t splits, const BufferRange& q,
                     const KvCacheView& cache, const BufferRange& partials, const BufferRange& out, uint32_t nTokens,
                     AttentionVariant variant) {
    // the positions, and so each split's range, are read on the device
    struct {
        uint32_t nHead, nHeadKv, headDim;
        float scale;
        uint32_t scaleBase;
    } push{shape.nHead, shape.nHeadKv, shape.headDim, 1.0f / std::sqrt(float(shape.headDim)), kvScaleBase(shape, cache)};
    const uint32_t q8 = cache.type == KvCacheType::Q8_0 ? 1 : 0;
    // one workgroup per KV head (and split, token) for up to 8 query heads sharing it
    constexpr uint32_t kMaxGroup = 8;
    const uint32_t group = shape.nHead / shape.nHeadKv;
    const uint32_t groupsPerKvHead = (group + kMaxGroup - 1) / kMaxGroup;
    const DeviceInfo& device = batch.context().info();
    const uint32_t lanes = device.caps.subgroupSize;
    // a CPU's SIMD vector as the subgroup (lavapipe): lanes own 16-byte slices of the head
    const bool simdLanes = variant == AttentionVariant::Auto && choosesCpuKernels(device) && usesSubgroupArithmetic(device) &&
                           device.caps.subgroupShuffle && lanes >= 4 && lanes <= 64 && shape.headDim % (8 * lanes) == 0;
    if (simdLanes)
        batch.dispatch("attention_sg", {lanes, shape.headDim / (8 * lanes), q8}, {q, cache.keys, cache.values, partials, position}, &push,
                       sizeof push, shape.nHeadKv * groupsPerKvHead, splits, nTokens);
    else
        batch.dispatch("attention", {kKernelWorkgroup, q8}, {q, cache.keys, cache.values, partials, position}, &push, sizeof push,
                       shape.nHeadKv * groupsPerKvHead, splits, nTokens);
    batch.barrier();
    const uint32_t reducePush[] = {shape.headDim, splits};
    batch.dispatch("attention_reduce", {kKernelWorkgroup}, {partials, out}, reducePush, sizeof reducePush, shape.nHead, nTokens);
}

} // namespace lucent::vk
