#pragma once
/// @file
/// @brief Causal scaled-dot-product attention of one query over an f16 KV cache, with GQA.

#include <cstddef>
#include <cstdint>

namespace lucent {

/// @brief Where the keys and values of one layer live and how heads share them.
struct AttentionInputs {
    const uint16_t* keys;   ///< fp16, position-major rows of `kvStride` values
    const uint16_t* values; ///< same layout as keys
    size_t kvStride;        ///< n_head_kv·head_dim
    int nHead;
    int nHeadKv;
    int headDim;
};

/// @brief out = Σ_t softmax_t(q·k_t / sqrt(head_dim)) v_t over positions t in [0, nKeys) for
/// query head `head`, which reads KV head head / (n_head / n_head_kv). `q` and `out` point at the
/// head's head_dim values; `scores` holds nKeys floats of scratch. All arithmetic is fp32.
void attendHead(const AttentionInputs& in, int head, const float* q, int nKeys, float* scores, float* out);

} // namespace lucent
