// The decode mat-vec's inner step for every weight type: Σ w·x over one "unit" of a row, with the
// unit's x values loaded once (loadX) and reused by every row a workgroup computes (unitDot).
// Unlike dequant.glsl (which the prompt kernels use) it reads whole 32-bit words and folds the
// block scale in after the sum, so a weight costs a shift, a mask, a convert and an fma.
// Block layouts: inference/quant/BlockFormats.h. Units: 32 weights (one block) for 32-weight
// block types, 64 (a pair of sub-blocks sharing the same quant bytes) for the K-quants.
// The includer defines the loads weightWord(m, i) and weights4(m, i) (32- and 16-byte word i of
// matrix m: 0, or 1 for the second matrix of a gated pair), inputAt(i) and input4(i) (x as floats
// and as vec4s), normalizing() with normAt(i) and norm4(i) (RMSNorm's weights: loadX multiplies x
// by them and adds x's squares to `squares` when normalizing()), and one WEIGHT_<TYPE>.

#if defined(WEIGHT_Q4_K) || defined(WEIGHT_Q5_K) || defined(WEIGHT_Q6_K) || defined(WEIGHT_Q4_0) || defined(WEIGHT_Q8_0)
#define UNIT 64u
#else
#define UNIT 32u
#endif
#define UNIT_VEC4 (UNIT / 4u)

// Blocks of 18, 22, 34 or 210 bytes start at even, not always 4-aligned, byte offsets. Such a block
// is read as the words w[0..n] from its byte offset rounded down to 4; word k of the byte sequence
// starting `skip` bytes into the block (skip even) is then shifted together from two of them.
uint spliced(uint lo, uint hi, bool odd) { return odd ? (lo >> 16) | (hi << 16) : lo; }
uint lowHalf(uint w, bool odd) { return odd ? w >> 16 : w & 0xFFFFu; }
float halfAt(uint w, bool odd) { return unpackHalf2x16(lowHalf(w, odd)).x; }

// The words of a 4-aligned byte run that starts `s` words (0..3) into a 16-byte word: `run` holds
// the uvec4s from there on, word k of the run is run[s + k] (constant indices, so it stays in
// registers: selects instead of an indexed array).
// GLSL has no templates: one macro fills `run` (N uvec4s from 16-byte word v of matrix m) for any N.
#define WORD_OF_RUN(run, s, k) ((s) == 0u ? run[k] : (s) == 1u ? run[(k) + 1u] : (s) == 2u ? run[(k) + 2u] : run[(k) + 3u])
#define LOAD_RUN(run, n, m, v)                                   \
    [[unroll]] for (uint runK = 0u; runK < (n); ++runK) {        \
        const uvec4 runQ = weights4(m, (v) + runK);              \
        run[4u * runK] = runQ.x;                                 \
        run[4u * runK + 1u] = runQ.y;                            \
        run[4u * runK + 2u] = runQ.z;                            \
        run[4u * runK + 3u] = runQ.w;                            \
    }
uint wordOfRun(const uint run[12], uint s, uint k) { return WORD_OF_RUN(run, s, k); }

vec4 lowNibbles(uint q) { return vec4(uvec4(q, q >> 8, q >> 16, q >> 24) & 15u); }
vec4 highNibbles(uint q) { return vec4(uvec4(q >> 4, q >> 12, q >> 20, q >> 28) & 15u); }
vec4 signedBytes(uint q) { return vec4(ivec4(q << 24, q << 16, q << 8, q) >> 24); }
vec4 bytesOf(uint q) { return vec4(uvec4(q, q >> 8, q >> 16, q >> 24) & 255u); }

#if defined(WEIGHT_F32) || defined(WEIGHT_F16) || defined(WEIGHT_BF16)
#define FLOAT_WEIGHTS
// Float rows may end mid-unit and need not be 16-byte aligned: read element by element.
void loadX(uint xBase, uint u, uint cols, out vec4 xv[UNIT_VEC4], inout float squares) {
    [[unroll]] for (uint k = 0u; k < UNIT_VEC4; ++k) {
        const uint c = UNIT * u + 4u * k;
        xv[k] = vec4(c < cols ? inputAt(xBase + c) : 0.0, c + 1u < cols ? inputAt(xBase + c + 1u) : 0.0, c + 2u < cols ? inputAt(xBase + c + 2u) : 0.0,
                     c + 3u < cols ? inputAt(xBase + c + 3u) : 0.0);
        if (normalizing()) {
            squares += dot(xv[k], xv[k]);
            xv[k] *= vec4(c < cols ? normAt(c) : 0.0, c + 1u < cols ? normAt(c + 1u) : 0.0, c + 2u < cols ? normAt(c + 2u) : 0.0,
                          c + 3u < cols ? normAt(c + 3u) : 0.0);
        }
    }
}
float weightAt(uint m, uint row, uint c, uint cols) {
    if (c >= cols) return 0.0;
#if defined(WEIGHT_F32)
    return uintBitsToFloat(weightWord(m, (row >> 2) + c));
#else
    const uint b = row + 2u * c;
    const uint h = (weightWord(m, b >> 2) >> ((b & 2u) << 3)) & 0xFFFFu;
#if defined(WEIGHT_F16)
    return unpackHalf2x16(h).x;
#else
    return uintBitsToFloat(h << 16);
#endif
#endif
}
float unitDot(uint m, uint row, uint u, uint cols, const vec4 xv[UNIT_VEC4]) {
    float sum = 0.0;
    [[unroll]] for (uint k = 0u; k < UNIT_VEC4; ++k) {
        const uint c = UNIT * u + 4u * k;
        sum += dot(vec4(weightAt(m, row, c, cols), weightAt(m, row, c + 1u, cols), weightAt(m, row, c + 2u, cols), weightAt(m, row, c + 3u, cols)), xv[k]);
    }
    return sum;
}
#else
// Quantized rows are whole units and x is 16-byte aligned (xBase and cols are multiples of 32).
void loadX(uint xBase, uint u, uint cols, out vec4 xv[UNIT_VEC4], inout float squares) {
    // the vec4 of x each xv[k] comes from, counted from the token's first
    uint from[UNIT_VEC4];
#if defined(WEIGHT_Q6_K)
    // unit u = (super-block u/4, half h, quarter pair r0): quarters r0 and r0 + 2 of the half,
    // 32 weights each, 64 apart
    const uint start = 256u * (u >> 2) + 128u * ((u >> 1) & 1u) + 32u * (u & 1u);
    [[unroll]] for (uint k = 0u; k < 8u; ++k) {
        from[k] = (start >> 2) + k;
        from[k + 8u] = ((start + 64u) >> 2) + k;
    }
#else
    [[unroll]] for (uint k = 0u; k < UNIT_VEC4; ++k) from[k] = UNIT / 4u * u + k;
#endif
    [[unroll]] for (uint k = 0u; k < UNIT_VEC4; ++k) xv[k] = input4((xBase >> 2) + from[k]);
    if (normalizing())
        [[unroll]] for (uint k = 0u; k < UNIT_VEC4; ++k) {
            squares += dot(xv[k], xv[k]);
            xv[k] *= norm4(from[k]);
        }
}

float unitDot(uint m, uint row, uint u, uint cols, const vec4 xv[UNIT_VEC4]) {
#if defined(WEIGHT_Q4_0)
    // two blocks (36 bytes, 4-aligned as rows hold an even number of blocks), each d (f16) and 16
    // bytes: byte j = weights j (low nibble) and j + 16 (high), w = d·(q − 8). Read as three uvec4.
    const uint b = row + 36u * u, v = b >> 4;
    uint run[12];
    LOAD_RUN(run, 3u, m, v)
    const uint s = (b >> 2) & 3u;
    uint w[9];
    [[unroll]] for (uint k = 0u; k < 9u; ++k) w[k] = wordOfRun(run, s, k);
    float qx0 = 0.0, qx1 = 0.0, xsum0 = 0.0, xsum1 = 0.0;
    [[unroll]] for (uint k = 0u; k < 4u; ++k) {
        const uint q0 = spliced(w[k], w[k + 1u], true); // block 0: quants at bytes 2…17
        const uint q1 = w[k + 5u];                      // block 1: quants at bytes 20…35
        qx0 += dot(lowNibbles(q0), xv[k]) + dot(highNibbles(q0), xv[k + 4u]);
        qx1 += dot(lowNibbles(q1), xv[k + 8u]) + dot(highNibbles(q1), xv[k + 12u]);
        xsum0 += dot(xv[k] + xv[k + 4u], vec4(1.0));
        xsum1 += dot(xv[k + 8u] + xv[k + 12u], vec4(1.0));
    }
    return unpackHalf2x16(w[0]).x * (qx0 - 8.0 * xsum0) + unpackHalf2x16(w[4] >> 16).x * (qx1 - 8.0 * xsum1);
#elif defined(WEIGHT_Q4_1)
    // d, m (f16), 16 bytes as Q4_0, w = d·q + m (20-byte blocks: always 4-aligned)
    const uint i = (row + 20u * u) >> 2;
    const vec2 dm = unpackHalf2x16(weightWord(m, i));
    float qx = 0.0, xsum = 0.0;
    [[unroll]] for (uint k = 0u; k < 4u; ++k) {
        const uint q = weightWord(m, i + 1u + k);
        qx += dot(lowNibbles(q), xv[k]) + dot(highNibbles(q), xv[k + 4u]);
        xsum += dot(xv[k] + xv[k + 4u], vec4(1.0));
    }
    return dm.x * qx + dm.y * xsum;
#elif defined(WEIGHT_Q5_0)
    // d (f16), qh (32 bits: the fifth bit of weight j), 16 bytes as Q4_0, w = d·(q − 16)
    const uint b = row + 22u * u, i = b >> 2;
    const bool odd = (b & 2u) != 0u;
    uint w[6];
    [[unroll]] for (uint k = 0u; k < 6u; ++k) w[k] = weightWord(m, i + k);
    const uint qh = odd ? w[1] : spliced(w[0], w[1], true);
    float qx = 0.0, xsum = 0.0;
    [[unroll]] for (uint k = 0u; k < 4u; ++k) {
        const uint q = odd ? w[k + 2u] : spliced(w[k + 1u], w[k + 2u], true);
        const vec4 lowHigh = vec4((uvec4(qh) >> uvec4(4u * k, 4u * k + 1u, 4u * k + 2u, 4u * k + 3u)) & 1u);
        const vec4 highHigh = vec4((uvec4(qh) >> uvec4(4u * k + 16u, 4u * k + 17u, 4u * k + 18u, 4u * k + 19u)) & 1u);
        qx += dot(lowNibbles(q) + 16.0 * lowHigh, xv[k]) + dot(highNibbles(q) + 16.0 * highHigh, xv[k + 4u]);
        xsum += dot(xv[k] + xv[k + 4u], vec4(1.0));
    }
    return halfAt(w[0], odd) * (qx - 16.0 * xsum);
#elif defined(WEIGHT_Q5_1)
    // d, m (f16), qh, 16 bytes (24-byte blocks: always 4-aligned), w = d·q + m
    const uint i = (row + 24u * u) >> 2;
    const vec2 dm = unpackHalf2x16(weightWord(m, i));
    const uint qh = weightWord(m, i + 1u);
    float qx = 0.0, xsum = 0.0;
    [[unroll]] for (uint k = 0u; k < 4u; ++k) {
        const uint q = weightWord(m, i + 2u + k);
        const vec4 lowHigh = vec4((uvec4(qh) >> uvec4(4u * k, 4u * k + 1u, 4u * k + 2u, 4u * k + 3u)) & 1u);
        const vec4 highHigh = vec4((uvec4(qh) >> uvec4(4u * k + 16u, 4u * k + 17u, 4u * k + 18u, 4u * k + 19u)) & 1u);
        qx += dot(lowNibbles(q) + 16.0 * lowHigh, xv[k]) + dot(highNibbles(q) + 16.0 * highHigh, xv[k + 4u]);
        xsum += dot(xv[k] + xv[k + 4u], vec4(1.0));
    }
    return dm.x * qx + dm.y * xsum;
#elif defined(WEIGHT_Q8_0)
    // two blocks (68 bytes, 4-aligned as rows hold an even number of blocks), each d (f16) and 32
    // signed bytes, w = d·q. Read as five uvec4.
    const uint b = row + 68u * u, v = b >> 4;
    uint run[20];
    LOAD_RUN(run, 5u, m, v)
    const uint s = (b >> 2) & 3u;
    uint w[17];
    [[unroll]] for (uint k = 0u; k < 17u; ++k) w[k] = WORD_OF_RUN(run, s, k);
    float qx0 = 0.0, qx1 = 0.0;
    [[unroll]] for (uint k = 0u; k < 8u; ++k) {
        qx0 += dot(signedBytes(spliced(w[k], w[k + 1u], true)), xv[k]); // block 0: bytes 2…33
        qx1 += dot(signedBytes(w[k + 9u]), xv[k + 8u]);                 // block 1: bytes 36…67
    }
    return unpackHalf2x16(w[0]).x * qx0 + unpackHalf2x16(w[8] >> 16).x * qx1;
#elif defined(WEIGHT_Q4_K) || defined(WEIGHT_Q5_K)
    // super-block: d, dmin (f16), 12 bytes of 6-bit scales/mins for 8 sub-blocks, [Q5_K: 32 bytes
    // of fifth bits, bit s of byte j for sub-block s], 128 bytes of nibbles: 32 bytes per sub-block
    // pair, low nibbles sub-block 2c, high nibbles 2c + 1. w = d·scale·q − dmin·min.
    // super-blocks are 16-aligned (144 and 176 bytes, rows of whole super-blocks): uvec4 loads
#if defined(WEIGHT_Q4_K)
    const uint v = (row + 144u * (u >> 2)) >> 4, qs = v + 1u;
#else
    const uint v = (row + 176u * (u >> 2)) >> 4, qs = v + 3u;
    const uvec4 qh0 = weights4(m, v + 1u), qh1 = weights4(m, v + 2u);
    const uint qhWords[8] = uint[8](qh0.x, qh0.y, qh0.z, qh0.w, qh1.x, qh1.y, qh1.z, qh1.w);
#endif
    const uint c = u & 3u;
    const uvec4 head = weights4(m, v);
    const uvec4 qa = weights4(m, qs + 2u * c), qb = weights4(m, qs + 2u * c + 1u);
    const uint qWords[8] = uint[8](qa.x, qa.y, qa.z, qa.w, qb.x, qb.y, qb.z, qb.w);
    const vec2 dmin = unpackHalf2x16(head.x);
    // scales: bytes 0..3 = low 6 bits of scales 0..3 (top 2 bits: scales 4..7's high bits),
    // bytes 4..7 = mins 0..3 (likewise), bytes 8..11 = low nibbles of scales 4..7, high of mins 4..7
    const uint s0 = head.y, s1 = head.z, s2 = head.w;
    uint scLo, mnLo, scHi, mnHi;
    if (c < 2u) { // sub-blocks 2c, 2c + 1 < 4
        const uint shift = 16u * c;
        scLo = (s0 >> shift) & 63u;
        scHi = (s0 >> (shift + 8u)) & 63u;
        mnLo = (s1 >> shift) & 63u;
        mnHi = (s1 >> (shift + 8u)) & 63u;
    } else { // sub-blocks 4..7: s = 2c (− 4 = 2c − 4)
        const uint shift = 16u * (c - 2u);
        scLo = ((s2 >> shift) & 15u) | (((s0 >> (shift + 6u)) & 3u) << 4);
        scHi = ((s2 >> (shift + 8u)) & 15u) | (((s0 >> (shift + 14u)) & 3u) << 4);
        mnLo = ((s2 >> (shift + 4u)) & 15u) | (((s1 >> (shift + 6u)) & 3u) << 4);
        mnHi = ((s2 >> (shift + 12u)) & 15u) | (((s1 >> (shift + 14u)) & 3u) << 4);
    }
    float qxLo = 0.0, qxHi = 0.0, xLo = 0.0, xHi = 0.0;
    [[unroll]] for (uint k = 0u; k < 8u; ++k) {
        const uint q = qWords[k];
        vec4 lo = lowNibbles(q), hi = highNibbles(q);
#if defined(WEIGHT_Q5_K)
        const uint qh = qhWords[k];
        lo += 16.0 * vec4((uvec4(qh) >> uvec4(2u * c, 2u * c + 8u, 2u * c + 16u, 2u * c + 24u)) & 1u);
        hi += 16.0 * vec4((uvec4(qh) >> uvec4(2u * c + 1u, 2u * c + 9u, 2u * c + 17u, 2u * c + 25u)) & 1u);
#endif
        qxLo += dot(lo, xv[k]);
        qxHi += dot(hi, xv[k + 8u]);
        xLo += dot(xv[k], vec4(1.0));
        xHi += dot(xv[k + 8u], vec4(1.0));
    }
    return dmin.x * (float(scLo) * qxLo + float(scHi) * qxHi) - dmin.y * (float(mnLo) * xLo + float(mnHi) * xHi);
#elif defined(WEIGHT_Q6_K)
    // super-block (210 bytes, 2-aligned): ql[128], qh[64], int8 scales[16], d (f16). Half h of
    // 128 weights: ql bytes 64h…, qh bytes 128 + 32h…; quarter r: ql byte row r & 1, nibble r >> 1,
    // qh bits 2r; one scale per 16 weights (192 + 8h + 2r + l/16). Unit: quarters r0, r0 + 2.
    const uint b = row + 210u * (u >> 2), h = (u >> 1) & 1u, r0 = u & 1u;
    const uint lb = b + 64u * h + 32u * r0, hb = b + 128u + 32u * h, sb = b + 192u + 8u * h + 2u * r0;
    const bool odd = (b & 2u) != 0u, oddScales = (sb & 2u) != 0u; // ql, qh and d share the block's parity
    // ql and qh runs of 32 bytes: three uvec4 each from their 16-byte word, then 9 words from the
    // 4-aligned start (the 2-byte funnel below takes the block's parity)
    uint lRun[12], hRun[12];
    [[unroll]] for (uint k = 0u; k < 3u; ++k) {
        const uvec4 a = weights4(m, (lb >> 4) + k), c = weights4(m, (hb >> 4) + k);
        lRun[4u * k] = a.x;
        lRun[4u * k + 1u] = a.y;
        lRun[4u * k + 2u] = a.z;
        lRun[4u * k + 3u] = a.w;
        hRun[4u * k] = c.x;
        hRun[4u * k + 1u] = c.y;
        hRun[4u * k + 2u] = c.z;
        hRun[4u * k + 3u] = c.w;
    }
    uint l[9], hq[9];
    [[unroll]] for (uint k = 0u; k < 9u; ++k) {
        l[k] = wordOfRun(lRun, (lb >> 2) & 3u, k);
        hq[k] = wordOfRun(hRun, (hb >> 2) & 3u, k);
    }
    // bytes sb…sb+7 (the third word only when they straddle it: it may lie past the tensor's end)
    const uint sw0 = weightWord(m, sb >> 2), sw1 = weightWord(m, (sb >> 2) + 1u), sw2 = oddScales ? weightWord(m, (sb >> 2) + 2u) : 0u;
    const uint scales = spliced(sw0, sw1, oddScales), scales2 = spliced(sw1, sw2, oddScales);
    const vec4 sc = signedBytes(scales);   // r0 first 16, r0 second 16, (r0 + 1 …)
    const vec4 sc2 = signedBytes(scales2); // r0 + 2 first 16, second 16
    float lo0 = 0.0, lo1 = 0.0, hi0 = 0.0, hi1 = 0.0;
    [[unroll]] for (uint k = 0u; k < 8u; ++k) {
        const uint ql = spliced(l[k], l[k + 1u], odd), qh = spliced(hq[k], hq[k + 1u], odd);
        const vec4 lo = vec4((uvec4(ql, ql >> 8, ql >> 16, ql >> 24) & 15u) |
                             (((uvec4(qh >> (2u * r0), qh >> (2u * r0 + 8u), qh >> (2u * r0 + 16u), qh >> (2u * r0 + 24u))) & 3u) << 4)) -
                        32.0;
        const vec4 hi = vec4(((uvec4(ql >> 4, ql >> 12, ql >> 20, ql >> 28)) & 15u) |
                             (((uvec4(qh >> (2u * r0 + 4u), qh >> (2u * r0 + 12u), qh >> (2u * r0 + 20u), qh >> (2u * r0 + 28u))) & 3u) << 4)) -
                        32.0;
        if (k < 4u) {
            lo0 += dot(lo, xv[k]);
            hi0 += dot(hi, xv[k + 8u]);
        } else {
            lo1 += dot(lo, xv[k]);
            hi1 += dot(hi, xv[k + 8u]);
        }
    }
    return (lo0 * sc.x + lo1 * sc.y + hi0 * sc2.x + hi1 * sc2.y) * halfAt(weightWord(m, (b + 208u) >> 2), odd);
#else
#error "define one WEIGHT_<TYPE>"
#endif
}
#endif
