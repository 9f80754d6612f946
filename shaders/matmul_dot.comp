#version 450
// Y[token][yOffset + row] = Σ_c W[row][c] · X[token][c] for a batch of tokens, with integer dot
// products: the prompt path for Q4_0, Q8_0, Q4_K, Q5_K and Q6_K weights on devices with fast packed
// int8 dot products (VK_KHR_shader_integer_dot_product; DeviceCapabilities::integerDotProduct). X
// comes as quantize_q8.comp's 8-bit blocks, so each 32-column unit of a row and a token is integer
// sums of four-way dot products, scaled by the weights' and the block's d (and, for the K-quants'
// minimums, the block's Σ q) — llama.cpp's MMQ scheme, and the CPU backend's arithmetic for
// Q4_0/Q8_0. The tiling is matmul.comp's: 64 rows × 32 tokens per workgroup of 128 invocations,
// each accumulating 4 rows × 4 tokens; the tiles hold packed int8 instead of floats (a quarter of
// the shared memory and of its reads).
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_spirv_intrinsics : require

layout(local_size_x = 128) in;

layout(std430, binding = 0) readonly buffer Weights { uint W[]; };
layout(std430, binding = 1) readonly buffer Input { uint xq[]; }; // 9 words a block (quantize_q8.comp)
layout(std430, binding = 2) writeonly buffer Output { float y[]; };
layout(push_constant) uniform Params {
    uint cols;      // weights per row (K, a multiple of 32)
    uint rows;      // rows in this slice
    uint rowStride; // bytes per row
    uint yOffset;   // the slice's first row
    uint xStride;   // blocks between tokens in xq
    uint yStride;   // floats between tokens in y
    uint nTokens;
} p;

// OpSDot (SPV_KHR_integer_dot_product) on two words of four signed bytes (packed vector format
// 0 = 4x8Bit); glslang of Debian 12 predates GL_EXT_integer_dot_product, hence the intrinsic.
// Capabilities DotProductInput4x8BitPacked (6018) and DotProduct (6019).
spirv_instruction(extensions = ["SPV_KHR_integer_dot_product"], capabilities = [6018, 6019], id = 4450)
int dot4x8(uint a, uint b, spirv_literal int packedVectorFormat);

#include "dequant.glsl" // weightU16, weightByte, weightI8 and the K-quants' scaleMinK

uint weightWord(uint b) { return weightU16(b) | (weightU16(b + 2u) << 16); } // b even, any alignment
// bytes n (< 128) → n − offset without borrows between bytes: ((n | 0x80) − offset) ^ 0x80
uint minusBytes(uint w, uint offset) { return ((w | 0x80808080u) - offset * 0x01010101u) ^ 0x80808080u; }

// Unit u (32 columns) of the row starting at byte `row` as 8 words of int8 values q (element 4k + i
// in byte i of word k) with w = d0·q − m for elements 0–15 and d1·q − m for 16–31 (Q6_K's two
// 16-weight sub-blocks have their own scales; every other type has d0 = d1).
void loadBlock(uint row, uint u, out uint q[8], out float d0, out float d1, out float m) {
    m = 0.0;
#if defined(WEIGHT_Q4_0)
    const uint b = row + 18u * u;
    d0 = d1 = weightF16(b);
    for (uint k = 0u; k < 4u; ++k) {
        const uint w = weightWord(b + 2u + 4u * k);
        q[k] = minusBytes(w & 0x0F0F0F0Fu, 8u);
        q[k + 4u] = minusBytes((w >> 4) & 0x0F0F0F0Fu, 8u);
    }
#elif defined(WEIGHT_Q8_0)
    const uint b = row + 34u * u;
    d0 = d1 = weightF16(b);
    for (uint k = 0u; k < 8u; ++k) q[k] = weightWord(b + 2u + 4u * k);
#elif defined(WEIGHT_Q4_K) || defined(WEIGHT_Q5_K)
    // super-block of 8 units: d, dmin, 12 bytes of 6-bit scales and mins, (Q5_K: 32 bytes of fifth
    // bits, bit s of byte l for unit s), 4-bit quants (units 2j and 2j+1 share 32 bytes: low, high nibbles)
#if defined(WEIGHT_Q4_K)
    const uint b = row + 144u * (u >> 3), s = u & 7u, qs = b + 16u + 32u * (s >> 1);
#else
    const uint b = row + 176u * (u >> 3), s = u & 7u, qs = b + 48u + 32u * (s >> 1);
#endif
    uint sc, mn;
    scaleMinK(b + 4u, s, sc, mn);
    d0 = d1 = weightF16(b) * float(sc);
    m = weightF16(b + 2u) * float(mn);
    for (uint k = 0u; k < 8u; ++k) {
        q[k] = (weightWord(qs + 4u * k) >> ((s & 1u) * 4u)) & 0x0F0F0F0Fu;
#if defined(WEIGHT_Q5_K)
        q[k] |= ((weightWord(b + 16u + 4u * k) >> s) & 0x01010101u) << 4;
#endif
    }
#elif defined(WEIGHT_Q6_K)
    // unit s: half h = s/4 of the block, quarter r = s%4 of that half (ql byte row r&1, nibble r>>1,
    // qh bits 2r), 6-bit quants − 32, an int8 scale per 16 weights, d last
    const uint b = row + 210u * (u >> 3), s = u & 7u, h = s >> 2, r = s & 3u;
    const uint ql = b + 64u * h + 32u * (r & 1u), qh = b + 128u + 32u * h, scales = b + 192u + 8u * h + 2u * r;
    const float d = weightF16(b + 208u);
    d0 = d * float(weightI8(scales));
    d1 = d * float(weightI8(scales + 1u));
    for (uint k = 0u; k < 8u; ++k) {
        const uint low = (weightWord(ql + 4u * k) >> (4u * (r >> 1))) & 0x0F0F0F0Fu;
        const uint high = ((weightWord(qh + 4u * k) >> (2u * r)) & 0x03030303u) << 4;
        q[k] = minusBytes(low | high, 32u);
    }
#else
#error matmul_dot.comp: WEIGHT_Q4_0, Q8_0, Q4_K, Q5_K or Q6_K
#endif
}

#if defined(WEIGHT_Q4_K) || defined(WEIGHT_Q5_K)
#define HAS_MIN // w = d·q − m: Σ w·x̂ needs Σ x̂ of each block too
#endif

const uint TILE_ROWS = 64u, TILE_TOKENS = 32u, WORDS = 8u;
// +1 word: invocations reading the same word of consecutive rows hit different banks
shared uint tileW[TILE_ROWS][WORDS + 1u];
shared vec3 tileWd[TILE_ROWS]; // d0, d1, m
shared uint tileX[TILE_TOKENS][WORDS + 1u];
shared vec2 tileXd[TILE_TOKENS]; // d, and d · Σ q (HAS_MIN)

void main() {
    const uint tid = gl_LocalInvocationID.x;
    const uint row0 = gl_WorkGroupID.x * TILE_ROWS, token0 = gl_WorkGroupID.y * TILE_TOKENS;
    const uint units = p.cols / 32u;
    // this invocation's outputs: rows rowLane + 16i, tokens tokenLane + 8j
    const uint rowLane = tid % 16u, tokenLane = tid / 16u;
    float acc[4][4];
    for (uint i = 0u; i < 4u; ++i)
        for (uint j = 0u; j < 4u; ++j) acc[i][j] = 0.0;

    for (uint u = 0u; u < units; ++u) {
        if (tid < TILE_ROWS) {
            uint q[8];
            float d0 = 0.0, d1 = 0.0, m = 0.0;
            const uint row = row0 + tid;
            if (row < p.rows) loadBlock(row * p.rowStride, u, q, d0, d1, m);
            else for (uint k = 0u; k < WORDS; ++k) q[k] = 0u;
            for (uint k = 0u; k < WORDS; ++k) tileW[tid][k] = q[k];
            tileWd[tid] = vec3(d0, d1, m);
        }
        if (tid < TILE_TOKENS) {
            const uint base = ((token0 + tid) * p.xStride + u) * 9u;
            const bool present = token0 + tid < p.nTokens;
            int sum = 0;
            for (uint k = 0u; k < WORDS; ++k) {
                const uint word = present ? xq[base + k] : 0u;
                tileX[tid][k] = word;
#ifdef HAS_MIN
                sum += dot4x8(word, 0x01010101u, 0);
#endif
            }
            const float d = present ? uintBitsToFloat(xq[base + 8u]) : 0.0;
            tileXd[tid] = vec2(d, d * float(sum));
        }
        barrier();
        int low[4][4], high[4][4]; // Σ over elements 0–15 and 16–31
        for (uint i = 0u; i < 4u; ++i)
            for (uint j = 0u; j < 4u; ++j) low[i][j] = high[i][j] = 0;
        for (uint k = 0u; k < WORDS; ++k) {
            uint wv[4], xv[4];
            for (uint i = 0u; i < 4u; ++i) wv[i] = tileW[rowLane + 16u * i][k];
            for (uint j = 0u; j < 4u; ++j) xv[j] = tileX[tokenLane + 8u * j][k];
            for (uint i = 0u; i < 4u; ++i)
                for (uint j = 0u; j < 4u; ++j) {
                    if (k < 4u) low[i][j] += dot4x8(wv[i], xv[j], 0);
                    else high[i][j] += dot4x8(wv[i], xv[j], 0);
                }
        }
        for (uint i = 0u; i < 4u; ++i) {
            const vec3 w = tileWd[rowLane + 16u * i];
            for (uint j = 0u; j < 4u; ++j) {
                const vec2 x = tileXd[tokenLane + 8u * j];
                acc[i][j] += (float(low[i][j]) * w.x + float(high[i][j]) * w.y) * x.x;
#ifdef HAS_MIN
                acc[i][j] -= w.z * x.y;
#endif
            }
        }
        barrier(); // the tiles are refilled by the next unit
    }
    for (uint i = 0u; i < 4u; ++i) {
        const uint row = row0 + rowLane + 16u * i;
        if (row >= p.rows) continue;
        for (uint j = 0u; j < 4u; ++j) {
            const uint token = token0 + tokenLane + 8u * j;
            if (token < p.nTokens) y[token * p.yStride + p.yOffset + row] = acc[i][j];
        }
    }
}
