// The KV cache's layouts: fp16 rows, or 8-bit blocks of 32 (quants of every position, then the
// blocks' fp32 scales, in one buffer per layer and K or V).
#include "inference/vulkan/Kernels.h"

namespace lucent::vk {

uint64_t kvCacheBytes(uint32_t kvDim, KvCacheType type, uint32_t capacity) {
    const uint64_t elements = uint64_t(capacity) * kvDim;
    return type == KvCacheType::Q8_0 ? elements + elements / 32 * 4 : elements * 2;
}

std::optional<std::string> kvCacheUnsupported(const HeadShape& shape, KvCacheType type) {
    if (type == KvCacheType::Q8_0 && shape.headDim % 32)
        return "The 8-bit KV cache needs a head size that is a multiple of 32; this model's is " + std::to_string(shape.headDim) +
               ". Use the 16-bit cache.";
    return std::nullopt;
}

uint32_t kvScaleBase(const HeadShape& shape, const KvCacheView& cache) {
    return cache.type == KvCacheType::Q8_0 ? cache.capacity * shape.kvDim() / 4 : 0;
}

} // namespace lucent::vk
