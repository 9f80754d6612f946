#pragma once
/// @file
/// @brief Q4_0 weight matrices repacked at load, eight rows side by side, so a decode step needs
/// no horizontal sums: lane i of every vector is row i of the group (what llama.cpp's CPU_REPACK
/// buffers do for Q4_0; the layout here is Lucent's own).
///
/// A group of 8 rows × `blocks` Q4_0 blocks takes exactly the bytes the 8 rows took:
///   - blocks × 128 bytes of weights: per block, four 32-byte runs; run k holds, for row
///     i = 0…7, the 4 bytes qs[4k … 4k+3] of that row's block, unchanged (low nibbles: weights
///     4k…4k+3, high nibbles: weights 16+4k…16+4k+3);
///   - then blocks × 16 bytes of scales: the 8 rows' fp16 d of each block.
/// Weights first keeps every 32-byte run 32-byte aligned in a 64-byte aligned buffer.

#include "inference/model/ModelWeights.h"

#include <cstddef>
#include <cstdint>

namespace lucent {

/// @brief Rows per interleaved group.
inline constexpr size_t kInterleavedRows = 8;

/// @brief True when this CPU has the kernels that make the interleaved layout pay (AVX2).
bool interleavedQ4_0Supported();

/// @brief True when `w` can be interleaved: Q4_0 with a multiple of 8 rows.
bool canInterleaveQ4_0(const WeightView& w);

/// @brief Writes groups [firstGroup, endGroup) of `w` (canInterleaveQ4_0) in the interleaved
/// layout to `out`, which holds w.rows · rowBytes(Q4_0, w.cols) bytes (the whole matrix: group g
/// goes where it belongs, so threads can take a range each).
void interleaveQ4_0(const WeightView& w, uint8_t* out, size_t firstGroup, size_t endGroup);

/// @brief All of `w`: interleaveQ4_0(w, out, 0, w.rows / kInterleavedRows).
void interleaveQ4_0(const WeightView& w, uint8_t* out);

/// @brief y[t·yStride + 8g + i] = Σ w·x_t for row i of each of `groupCount` groups of interleaved
/// Q4_0 rows of `n` weights, and `nTokens` tokens' Q4_0 activations `activationStride` bytes
/// apart. A token's result does not depend on nTokens.
void quantDotInterleavedQ4_0(const uint8_t* groups, size_t n, const uint8_t* activations, size_t activationStride, size_t nTokens,
                             float* y, size_t yStride, size_t groupCount);

/// @brief The portable implementation: the same bits as quantDotRowsPortable on the rows
/// before interleaving (tests compare the vector kernels against it).
void quantDotInterleavedQ4_0Portable(const uint8_t* groups, size_t n, const uint8_t* activations, size_t activationStride,
                                     size_t nTokens, float* y, size_t yStride, size_t groupCount);

namespace detail {
/// @brief The AVX2 kernel (InterleavedQ4_0Avx2.cpp); only called when the CPU has AVX2, FMA and
/// F16C. Returns false where it is not built (non-x86).
bool quantDotInterleavedQ4_0Avx2(const uint8_t* groups, size_t n, const uint8_t* activations, size_t activationStride, size_t nTokens,
                                 float* y, size_t yStride, size_t groupCount);
/// @brief The same built with AVX-VNNI (vpdpbusd); only called when the CPU also has AVX-VNNI.
bool quantDotInterleavedQ4_0AvxVnni(const uint8_t* groups, size_t n, const uint8_t* activations, size_t activationStride, size_t nTokens,
                                    float* y, size_t yStride, size_t groupCount);
} // namespace detail

} // namespace lucent
