#pragma once
/// @file
/// @brief Weight matrix × activations on the CPU, split across a ThreadPool by output rows.

#include "inference/model/ModelWeights.h"

#include <cstddef>

namespace lucent {

class ThreadPool;

/// @brief y[r] = Σ_c W[r][c]·x[c] for every row r (one token: decode). Reads the raw blocks.
void matVec(const WeightView& w, const float* x, float* y, ThreadPool& pool);

/// @brief Floats of scratch memory matMul needs per thread for a matrix with `cols` columns.
size_t matMulScratchFloats(size_t cols);

/// @brief Y[t][r] = Σ_c W[r][c]·X[t][c] for `nTokens` tokens (rows of `x` and `y` are `w.cols`
/// and `w.rows` long). Each thread dequantizes a few weight rows into its share of `scratch`
/// (`pool.size() · matMulScratchFloats(w.cols)` floats) and reuses them for every token, so the
/// decoding cost is paid once per batch.
void matMul(const WeightView& w, const float* x, size_t nTokens, float* y, ThreadPool& pool, float* scratch);

} // namespace lucent
