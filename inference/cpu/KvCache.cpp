#include "inference/cpu/KvCache.h"

namespace lucent {

KvCache::KvCache(uint32_t layers, uint32_t capacity, uint32_t kvDim)
    : capacity_(capacity), kvDim_(kvDim), data_(size_t(layers) * 2 * capacity * kvDim, 0) {}

} // namespace lucent
