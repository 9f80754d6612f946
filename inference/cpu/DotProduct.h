#pragma once
/// @file
/// @brief Dot products of quantized weight rows with fp32 activations, one routine per weight
/// type, working on the raw blocks (no dequantized copy) with fp32 accumulation.

#include "inference/quant/TensorType.h"

#include <cstddef>
#include <cstdint>

namespace lucent {

/// @brief Σ w[i]·x[i] over one row of `n` weights (a multiple of the type's block size).
float dotRow(TensorType type, const uint8_t* row, const float* x, size_t n);

/// @brief y[r] = dotRow(row r, x) for `count` rows that are `rowStride` bytes apart.
void dotRows(TensorType type, const uint8_t* rows, size_t rowStride, size_t n, const float* x, float* y, size_t count);

/// @brief Σ a[i]·b[i] in fp32 (lane-wise partial sums so the compiler can vectorize it).
float dotF32(const float* a, const float* b, size_t n);

/// @brief y[i] += a·x[i] for fp16 `x` (the value half of attention).
void addScaledHalf(float* y, float a, const uint16_t* x, size_t n);

/// @brief fp16 bits → float through a table (the hot paths convert millions of scales).
float halfBitsToFloat(uint16_t bits);

namespace detail {
// F16C versions (HalfAvx2.cpp), used when cpuHasAvx2() (CpuFeatures.h).
float dotHalfAvx2(const uint16_t* w, const float* x, size_t n);
void addScaledHalfAvx2(float* y, float a, const uint16_t* x, size_t n);
} // namespace detail

} // namespace lucent
