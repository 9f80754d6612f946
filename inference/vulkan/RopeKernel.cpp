#include "inference/vulkan/Kernels.h"

#include <cmath>

namespace lucent::vk {

size_t ropeTableFloats(const HeadShape& shape, uint32_t nTokens) { return size_t(nTokens) * shape.nRot; }

void fillRopeTable(float* table, const HeadShape& shape, uint32_t pos0, uint32_t nTokens, float base, const float* freqFactors) {
    // The recurrence of inference/cpu/Kernels.cpp rope(): θ starts at pos and is multiplied by
    // base^(−2/nRot) once per pair, in fp32.
    const uint32_t pairs = shape.nRot / 2;
    const float step = std::pow(base, -2.0f / float(shape.nRot));
    for (uint32_t t = 0; t < nTokens; ++t) {
        float theta = float(pos0 + t);
        for (uint32_t i = 0; i < pairs; ++i) {
            const float angle = freqFactors ? theta / freqFactors[i] : theta;
            table[(size_t(t) * pairs + i) * 2] = std::cos(angle);
            table[(size_t(t) * pairs + i) * 2 + 1] = std::sin(angle);
            theta *= step;
        }
    }
}

void recordRopeKv(ComputeBatch& batch, const HeadShape& shape, const BufferRange& position, uint32_t nTokens, const BufferRange& q,
                  const BufferRange& k, const BufferRange& v, const KvCacheView& cache, const BufferRange& ropeTable) {
    struct {
        uint32_t nHead, nHeadKv, headDim, nRot, neox, qStride, kvStride, scaleBase;
    } push{shape.nHead,          shape.nHeadKv, shape.headDim, shape.nRot, shape.neox ? 1u : 0u, shape.nHead * shape.headDim,
           shape.kvDim(),        kvScaleBase(shape, cache)};
    const uint32_t q8 = cache.type == KvCacheType::Q8_0 ? 1 : 0;
    // one invocation per query pair; the first kvDim/2 of them also write a key and a value word
    const uint32_t invocations = shape.nHead * shape.headDim / 2;
    batch.dispatch("rope_kv", {kKernelWorkgroup, q8}, {q, k, v, cache.keys, cache.values, ropeTable, position}, &push, sizeof push,
                   (invocations + kKernelWorkgroup - 1) / kKernelWorkgroup, nTokens);
}

} // namespace lucent::vk
