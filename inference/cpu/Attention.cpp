#include "inference/cpu/Attention.h"

#include "inference/cpu/DotProduct.h"
#include "inference/cpu/Kernels.h"

#include <cmath>

namespace lucent {

void attendHead(const AttentionInputs& in, int head, const float* q, int nKeys, float* scores, float* out) {
    const int kvHead = head / (in.nHead / in.nHeadKv);
    const size_t headOffset = size_t(kvHead) * size_t(in.headDim);
    const float scale = 1.0f / std::sqrt(float(in.headDim));
    // scores = q·k / sqrt(head_dim)
    for (int t = 0; t < nKeys; ++t)
        scores[t] = scale * dotRow(TensorType::F16, reinterpret_cast<const uint8_t*>(in.keys + size_t(t) * in.kvStride + headOffset), q,
                                   size_t(in.headDim));
    softmax(scores, size_t(nKeys));
    // out = Σ p_t v_t
    for (int d = 0; d < in.headDim; ++d) out[d] = 0.0f;
    for (int t = 0; t < nKeys; ++t)
        addScaledHalf(out, scores[t], in.values + size_t(t) * in.kvStride + headOffset, size_t(in.headDim));
}

} // namespace lucent
