#pragma once
/// @file
/// @brief The element-wise and per-vector kernels of the forward pass, as short pure functions.

#include <cstddef>
#include <cstdint>

namespace lucent {

/// @brief out = x / sqrt(mean(x²) + eps) · weight (out may alias x). The mean is summed in double,
/// as llama.cpp does.
void rmsNorm(float* out, const float* x, const float* weight, size_t n, float eps);

/// @brief How RoPE pairs the dimensions of a head (see ModelConfig's RopeType).
enum class RopePairing { Norm, Neox };

/// @brief Rotates the first `nRot` dimensions of each of `nHeads` heads (`headDim` apart) of `vec`
/// for position `pos`. θ_i = pos·base^(−2i/nRot) / freqFactors[i] (freqFactors may be null), with
/// base^(−2i/nRot) formed by repeated fp32 multiplication as llama.cpp does, so large positions
/// round the same way. NORM pairs (2i, 2i+1), NEOX pairs (i, i + nRot/2).
void rope(float* vec, int nHeads, int headDim, int nRot, int pos, RopePairing pairing, float base, const float* freqFactors);

/// @brief The RoPE angle of pair `i` at `pos`, as rope() computes it (exposed for tests).
float ropeAngle(int pos, int i, int nRot, float base, const float* freqFactors);

/// @brief x = softmax(x) in place; subtracts the maximum first, sums in double.
void softmax(float* x, size_t n);

/// @brief gate = silu(gate) · up, silu(t) = t / (1 + e^−t).
void swiglu(float* gate, const float* up, size_t n);

/// @brief y += x.
void addInPlace(float* y, const float* x, size_t n);

/// @brief float → fp16 bits for `n` values (the KV cache format).
void toHalf(uint16_t* out, const float* x, size_t n);

} // namespace lucent
