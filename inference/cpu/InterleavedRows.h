#pragma once
/// @file
/// @brief Q4_0 and Q8_0 weight matrices repacked at load, eight rows side by side, so a decode
/// step needs no horizontal sums: lane i of every vector is row i of the group (what llama.cpp's
/// CPU_REPACK buffers do for Q4_0; the layout here is Lucent's own).
///
/// Both types are a fp16 scale d and Q bytes of weights qs per block of 32 (Q = 16 for Q4_0's
/// nibbles, 32 for Q8_0's bytes). A group of 8 rows × `blocks` blocks takes exactly the bytes the
/// 8 rows took:
///   - blocks × 8·Q bytes of weights: per block, Q/4 32-byte runs; run k holds, for row
///     i = 0…7, the 4 bytes qs[4k … 4k+3] of that row's block, unchanged (Q4_0: low nibbles are
///     weights 4k…4k+3, high nibbles weights 16+4k…16+4k+3; Q8_0: weights 4k…4k+3);
///   - then blocks × 16 bytes of scales: the 8 rows' fp16 d of each block.
/// Weights first keeps every 32-byte run 32-byte aligned in a 64-byte aligned buffer.

#include "inference/model/ModelWeights.h"

#include <cstddef>
#include <cstdint>

namespace lucent {

/// @brief Rows per interleaved group.
inline constexpr size_t kInterleavedRows = 8;

/// @brief True when this CPU has the kernels that make the interleaved layout pay (AVX2).
bool interleavedRowsSupported();

/// @brief True when `w` can be interleaved: Q4_0 or Q8_0 with a multiple of 8 rows.
bool canInterleaveRows(const WeightView& w);

/// @brief Writes groups [firstGroup, endGroup) of `w` (canInterleaveRows) in the interleaved
/// layout to `out`, which holds w.rows · rowBytes(w.type, w.cols) bytes (the whole matrix: group
/// g goes where it belongs, so threads can take a range each).
void interleaveRows(const WeightView& w, uint8_t* out, size_t firstGroup, size_t endGroup);

/// @brief All of `w`: interleaveRows(w, out, 0, w.rows / kInterleavedRows).
void interleaveRows(const WeightView& w, uint8_t* out);

/// @brief y[t·yStride + 8g + i] = Σ w·x_t for row i of each of `groupCount` groups of interleaved
/// rows of `n` weights of `type` (Q4_0 or Q8_0), and `nTokens` tokens' activations (quantized
/// for that type) `activationStride` bytes apart. A token's result does not depend on nTokens.
void quantDotInterleaved(TensorType type, const uint8_t* groups, size_t n, const uint8_t* activations, size_t activationStride,
                         size_t nTokens, float* y, size_t yStride, size_t groupCount);

/// @brief The portable implementation: the same bits as quantDotRowsPortable on the rows
/// before interleaving (tests compare the vector kernels against it).
void quantDotInterleavedPortable(TensorType type, const uint8_t* groups, size_t n, const uint8_t* activations, size_t activationStride,
                                 size_t nTokens, float* y, size_t yStride, size_t groupCount);

namespace detail {
/// @brief The AVX2 kernels (InterleavedRowsAvx2.cpp); only called when the CPU has AVX2, FMA and
/// F16C. Return false where they are not built (non-x86).
bool quantDotInterleavedAvx2(TensorType type, const uint8_t* groups, size_t n, const uint8_t* activations, size_t activationStride,
                             size_t nTokens, float* y, size_t yStride, size_t groupCount);
/// @brief The same built with AVX-VNNI (vpdpbusd); only called when the CPU also has AVX-VNNI.
bool quantDotInterleavedAvxVnni(TensorType type, const uint8_t* groups, size_t n, const uint8_t* activations, size_t activationStride,
                                size_t nTokens, float* y, size_t yStride, size_t groupCount);
} // namespace detail

} // namespace lucent
