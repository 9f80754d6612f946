#pragma once
/// @file
/// @brief Dequantization of one row of any supported tensor type to fp32 (ENGINE.md §1 formulas).

#include "inference/quant/TensorType.h"

#include <cstddef>
#include <cstdint>

namespace lucent {

/// @brief Decodes `n` weights (a multiple of the type's block size) from `src` into `dst`.
void dequantizeRow(TensorType type, const uint8_t* src, float* dst, size_t n);

} // namespace lucent
