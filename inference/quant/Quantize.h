#pragma once
/// @file
/// @brief Quantization of fp32 rows into every supported block format (layouts of ENGINE.md §1).
///
/// Round-to-nearest quantizers in the spirit of ggml's reference ones. They need not be bit-equal
/// to llama-quantize: what matters is the layout, so any GGUF reader decodes the same weights.

#include "inference/quant/TensorType.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lucent {

/// @brief Encodes `n` weights (a multiple of the type's block size) from `src` into `dst`
/// (`rowBytes(type, n)` bytes).
void quantizeRow(TensorType type, const float* src, uint8_t* dst, size_t n);

/// @brief Encodes a row-major matrix of `rows.size() / rowLength` rows.
std::vector<uint8_t> quantize(TensorType type, std::span<const float> rows, size_t rowLength);

} // namespace lucent
