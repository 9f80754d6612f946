#pragma once
/// @file
/// @brief The quantized block layouts of ggml (ENGINE.md §1). fp16 fields are raw `uint16_t` bits.

#include <cstdint>

namespace lucent {

/// @brief 32 weights: w = d·(q − 8), q 4-bit; qs[j] holds weight j (low nibble) and j+16 (high).
struct BlockQ4_0 {
    uint16_t d;
    uint8_t qs[16];
};
/// @brief 32 weights: w = d·q + m, q 4-bit, same nibble order as Q4_0.
struct BlockQ4_1 {
    uint16_t d;
    uint16_t m;
    uint8_t qs[16];
};
/// @brief 32 weights: w = d·(q − 16), q 5-bit; bit 4 of weight j is bit j of the u32 `qh`.
struct BlockQ5_0 {
    uint16_t d;
    uint8_t qh[4];
    uint8_t qs[16];
};
/// @brief 32 weights: w = d·q + m, q 5-bit as in Q5_0.
struct BlockQ5_1 {
    uint16_t d;
    uint16_t m;
    uint8_t qh[4];
    uint8_t qs[16];
};
/// @brief 32 weights: w = d·q, q int8.
struct BlockQ8_0 {
    uint16_t d;
    int8_t qs[32];
};
/// @brief 256 weights in 8 sub-blocks of 32 with 6-bit scales and mins packed in `scales`.
struct BlockQ4_K {
    uint16_t d;
    uint16_t dmin;
    uint8_t scales[12];
    uint8_t qs[128];
};
/// @brief Q4_K plus a fifth bit per weight in `qh` (indexed by position within a 32-run).
struct BlockQ5_K {
    uint16_t d;
    uint16_t dmin;
    uint8_t scales[12];
    uint8_t qh[32];
    uint8_t qs[128];
};
/// @brief 256 weights, 6-bit (ql low 4 bits, qh high 2), one int8 scale per 16 weights, d last.
struct BlockQ6_K {
    uint8_t ql[128];
    uint8_t qh[64];
    int8_t scales[16];
    uint16_t d;
};

static_assert(sizeof(BlockQ4_0) == 18);
static_assert(sizeof(BlockQ4_1) == 20);
static_assert(sizeof(BlockQ5_0) == 22);
static_assert(sizeof(BlockQ5_1) == 24);
static_assert(sizeof(BlockQ8_0) == 34);
static_assert(sizeof(BlockQ4_K) == 144);
static_assert(sizeof(BlockQ5_K) == 176);
static_assert(sizeof(BlockQ6_K) == 210);

/// @brief Unpacks the 6-bit scale and min of sub-block `i` (0..7) of a Q4_K/Q5_K block.
inline void kQuantScaleMin(const uint8_t* scales, int i, uint8_t& scale, uint8_t& min) {
    if (i < 4) {
        scale = scales[i] & 63;
        min = scales[i + 4] & 63;
    } else {
        scale = uint8_t((scales[i + 4] & 15) | ((scales[i - 4] >> 6) << 4));
        min = uint8_t((scales[i + 4] >> 4) | ((scales[i] >> 6) << 4));
    }
}

} // namespace lucent
