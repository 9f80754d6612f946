#pragma once
/// @file
/// @brief Weight matrix × activations on the CPU, split across a ThreadPool by output rows.
///
/// Quantized weights meet activations rounded to 8-bit blocks (QuantizedActivations.h) in integer
/// dot products, as in llama.cpp; F32/F16/BF16 weights meet fp32 activations. One token and a
/// batch run the same per-row arithmetic, so a prompt gives the same bits batched or not.

#include "inference/model/ModelWeights.h"

#include <cstddef>
#include <cstdint>

namespace lucent {

class ThreadPool;

/// @brief Work memory of matVec/matMul, allocated once by the caller.
struct MatMulScratch {
    uint8_t* activations; ///< matMulActivationBytes(maxCols, maxTokens) bytes
};

/// @brief Bytes of quantized activations for `nTokens` rows of `cols` values (any weight type).
size_t matMulActivationBytes(size_t cols, size_t nTokens);

/// @brief y[r] = Σ_c W[r][c]·x[c] for every row r (one token: decode).
void matVec(const WeightView& w, const float* x, float* y, ThreadPool& pool, const MatMulScratch& scratch);

/// @brief Y[t][r] = Σ_c W[r][c]·X[t][c] for `nTokens` tokens (rows of `x` and `y` are `w.cols`
/// and `w.rows` long).
void matMul(const WeightView& w, const float* x, size_t nTokens, float* y, ThreadPool& pool, const MatMulScratch& scratch);

} // namespace lucent
