#pragma once
/// @file
/// @brief Integer dot products of quantized weight rows with quantized activations
/// (QuantizedActivations.h): int32 sums inside a block, fp32 across blocks. An AVX2 version is
/// picked at run time where the CPU has it; the portable one is the readable reference.

#include "inference/quant/TensorType.h"

#include <cstddef>
#include <cstdint>

namespace lucent {

/// @brief y[t·yStride + r] = Σ w_r·x_t for `count` rows `rowStride` bytes apart, each `n`
/// weights of `type` (a quantized type), and `nTokens` tokens' activations (quantized for that
/// type, `activationStride` bytes apart). A token's result does not depend on nTokens.
void quantDotRows(TensorType type, const uint8_t* rows, size_t rowStride, size_t n, const uint8_t* activations, size_t activationStride,
                  size_t nTokens, float* y, size_t yStride, size_t count);

/// @brief The portable implementation, always (tests compare the vector one against it).
void quantDotRowsPortable(TensorType type, const uint8_t* rows, size_t rowStride, size_t n, const uint8_t* activations,
                          size_t activationStride, size_t nTokens, float* y, size_t yStride, size_t count);

/// @brief True when quantDotRows uses the AVX2 kernels on this CPU.
bool quantDotUsesAvx2();

namespace detail {
/// @brief The AVX2 kernels (QuantDotAvx2.cpp); only called when the CPU has AVX2, FMA and F16C.
/// Returns false for a type it does not cover.
bool quantDotRowsAvx2(TensorType type, const uint8_t* rows, size_t rowStride, size_t n, const uint8_t* activations, size_t activationStride,
                      size_t nTokens, float* y, size_t yStride, size_t count);
/// @brief The same kernels built with AVX-VNNI (QuantDotAvx2.cpp compiled again); only called
/// when the CPU also has AVX-VNNI.
bool quantDotRowsAvxVnni(TensorType type, const uint8_t* rows, size_t rowStride, size_t n, const uint8_t* activations,
                         size_t activationStride, size_t nTokens, float* y, size_t yStride, size_t count);
/// @brief Q4_0 and Q8_0 with AVX-512 VNNI, two blocks per register (QuantDotAvx512.cpp); only
/// called when the CPU has AVX-512 F/BW/DQ/VL/VNNI. Returns false for the other types.
bool quantDotRowsAvx512(TensorType type, const uint8_t* rows, size_t rowStride, size_t n, const uint8_t* activations,
                        size_t activationStride, size_t nTokens, float* y, size_t yStride, size_t count);
} // namespace detail

} // namespace lucent
