#pragma once
/// @file
/// @brief Activations rounded to 8-bit blocks so quantized weights can be multiplied with integer
/// dot products — what llama.cpp does on the CPU, and the same rounding it uses, so both engines
/// see the same numbers: blocks of 32 (scale amax/127, held in fp16) for the 32-weight types,
/// blocks of 256 (scale −max/128, with sums per 16) for the K-quants.

#include "inference/quant/TensorType.h"

#include <cstddef>
#include <cstdint>

namespace lucent {

/// @brief 32 activations ≈ d·qs[j]; `sum` = Σ qs (for the weights' zero points and minimums).
struct ActivationBlock32 {
    float d;
    float sumScaled; ///< fp16(d·Σqs), the Q8_1 "s" that Q4_1/Q5_1 minimums multiply
    int32_t sum;
    int8_t qs[32];
};

/// @brief 256 activations ≈ d·qs[j]; bsums[k] = Σ of qs[16k … 16k+15].
struct ActivationBlock256 {
    float d;
    int16_t bsums[16];
    int8_t qs[256];
};

/// @brief True for the weight types multiplied through quantized activations (all but F32/F16/BF16).
bool usesQuantizedActivations(TensorType weights);

/// @brief Bytes the quantized form of `n` activations takes for weights of `type`.
size_t quantizedActivationBytes(TensorType weights, size_t n);

/// @brief Rounds `n` activations into the blocks `weights` pairs with, written to `out`
/// (quantizedActivationBytes(weights, n) bytes).
void quantizeActivations(TensorType weights, const float* x, size_t n, void* out);

} // namespace lucent
