// Decoding of one "unit" of 32 consecutive weights of a row, for every weight type Lucent runs
// (block layouts: inference/quant/BlockFormats.h, formulas as in inference/quant/Dequantize.cpp).
// The includer declares `uint W[]` (the weights as 32-bit words, so no 8-bit storage is needed;
// every field of every block starts at an even byte) and defines one WEIGHT_<TYPE>.
// K-quant super-blocks hold 8 units; 32-weight blocks are one unit each.

uint weightByte(uint b) { return (W[b >> 2] >> ((b & 3u) << 3)) & 0xFFu; }
uint weightU16(uint b) { return (W[b >> 2] >> ((b & 2u) << 3)) & 0xFFFFu; } // b even
float weightF16(uint b) { return unpackHalf2x16(weightU16(b)).x; }
int weightI8(uint b) { return int(weightByte(b) << 24) >> 24; }

#if defined(WEIGHT_Q4_K) || defined(WEIGHT_Q5_K)
// 6-bit scale and min of sub-block s of the 12 packed bytes at `scales`.
void scaleMinK(uint scales, uint s, out uint sc, out uint mn) {
    if (s < 4u) {
        sc = weightByte(scales + s) & 63u;
        mn = weightByte(scales + s + 4u) & 63u;
    } else {
        sc = (weightByte(scales + s + 4u) & 15u) | ((weightByte(scales + s - 4u) >> 6) << 4);
        mn = (weightByte(scales + s + 4u) >> 4) | ((weightByte(scales + s) >> 6) << 4);
    }
}
#endif

// w = weights [32u, 32u + 32) of the row starting at byte `row`; entries past `cols` are 0
// (only float types can end mid-unit).
void loadUnit(uint row, uint u, uint cols, out float w[32]) {
#if defined(WEIGHT_F32)
    for (uint j = 0u; j < 32u; ++j) {
        const uint c = 32u * u + j;
        w[j] = c < cols ? uintBitsToFloat(W[(row >> 2) + c]) : 0.0;
    }
#elif defined(WEIGHT_F16)
    for (uint j = 0u; j < 32u; ++j) {
        const uint c = 32u * u + j;
        w[j] = c < cols ? weightF16(row + 2u * c) : 0.0;
    }
#elif defined(WEIGHT_BF16)
    for (uint j = 0u; j < 32u; ++j) {
        const uint c = 32u * u + j;
        w[j] = c < cols ? uintBitsToFloat(weightU16(row + 2u * c) << 16) : 0.0;
    }
#elif defined(WEIGHT_Q4_0)
    const uint b = row + 18u * u;
    const float d = weightF16(b);
    for (uint j = 0u; j < 16u; ++j) {
        const uint q = weightByte(b + 2u + j);
        w[j] = d * float(int(q & 15u) - 8);
        w[j + 16u] = d * float(int(q >> 4) - 8);
    }
#elif defined(WEIGHT_Q4_1)
    const uint b = row + 20u * u;
    const float d = weightF16(b), m = weightF16(b + 2u);
    for (uint j = 0u; j < 16u; ++j) {
        const uint q = weightByte(b + 4u + j);
        w[j] = d * float(q & 15u) + m;
        w[j + 16u] = d * float(q >> 4) + m;
    }
#elif defined(WEIGHT_Q5_0)
    const uint b = row + 22u * u;
    const float d = weightF16(b);
    const uint qh = weightU16(b + 2u) | (weightU16(b + 4u) << 16);
    for (uint j = 0u; j < 16u; ++j) {
        const uint q = weightByte(b + 6u + j);
        w[j] = d * float(int((q & 15u) | (((qh >> j) & 1u) << 4)) - 16);
        w[j + 16u] = d * float(int((q >> 4) | (((qh >> (j + 16u)) & 1u) << 4)) - 16);
    }
#elif defined(WEIGHT_Q5_1)
    const uint b = row + 24u * u;
    const float d = weightF16(b), m = weightF16(b + 2u);
    const uint qh = weightU16(b + 4u) | (weightU16(b + 6u) << 16);
    for (uint j = 0u; j < 16u; ++j) {
        const uint q = weightByte(b + 8u + j);
        w[j] = d * float((q & 15u) | (((qh >> j) & 1u) << 4)) + m;
        w[j + 16u] = d * float((q >> 4) | (((qh >> (j + 16u)) & 1u) << 4)) + m;
    }
#elif defined(WEIGHT_Q8_0)
    const uint b = row + 34u * u;
    const float d = weightF16(b);
    for (uint j = 0u; j < 32u; ++j) w[j] = d * float(weightI8(b + 2u + j));
#elif defined(WEIGHT_Q4_K)
    const uint b = row + 144u * (u >> 3), s = u & 7u;
    uint sc, mn;
    scaleMinK(b + 4u, s, sc, mn);
    const float scale = weightF16(b) * float(sc), minimum = weightF16(b + 2u) * float(mn);
    const uint qs = b + 16u + 32u * (s >> 1), shift = (s & 1u) * 4u;
    for (uint l = 0u; l < 32u; ++l) w[l] = scale * float((weightByte(qs + l) >> shift) & 15u) - minimum;
#elif defined(WEIGHT_Q5_K)
    const uint b = row + 176u * (u >> 3), s = u & 7u;
    uint sc, mn;
    scaleMinK(b + 4u, s, sc, mn);
    const float scale = weightF16(b) * float(sc), minimum = weightF16(b + 2u) * float(mn);
    const uint qs = b + 48u + 32u * (s >> 1), shift = (s & 1u) * 4u;
    for (uint l = 0u; l < 32u; ++l) {
        const uint q = ((weightByte(qs + l) >> shift) & 15u) | (((weightByte(b + 16u + l) >> s) & 1u) << 4);
        w[l] = scale * float(q) - minimum;
    }
#elif defined(WEIGHT_Q6_K)
    // unit s: half h = s/4 of the block, quarter r = s%4 of that half (ql byte row r&1, nibble r>>1)
    const uint b = row + 210u * (u >> 3), s = u & 7u, h = s >> 2, r = s & 3u;
    const float d = weightF16(b + 208u);
    const uint ql = b + 64u * h + 32u * (r & 1u), qh = b + 128u + 32u * h, scales = b + 192u + 8u * h + 2u * r;
    for (uint l = 0u; l < 32u; ++l) {
        const uint low = (weightByte(ql + l) >> (4u * (r >> 1))) & 15u;
        const uint high = (weightByte(qh + l) >> (2u * r)) & 3u;
        w[l] = d * float(weightI8(scales + (l >> 4))) * float(int(low | (high << 4)) - 32);
    }
#else
#error "define one WEIGHT_<TYPE>"
#endif
}
