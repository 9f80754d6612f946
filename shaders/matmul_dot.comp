#version 450
// Y[token][yOffset + row] = Σ_c W[row][c] · X[token][c] for a batch of tokens, with integer dot
// products: the prompt path for Q4_0 and Q8_0 weights on devices with fast packed int8 dot
// products (VK_KHR_shader_integer_dot_product; DeviceCapabilities::integerDotProduct). X comes as
// quantize_q8.comp's 8-bit blocks, so each 32-column block of a row and a token is one integer sum
// of 8 four-way dot products, scaled by the two blocks' d — llama.cpp's MMQ scheme, and the CPU
// backend's arithmetic. The tiling is matmul.comp's: 64 rows × 32 tokens per workgroup of 128
// invocations, each accumulating 4 rows × 4 tokens; the tiles hold packed int8 instead of floats
// (a quarter of the shared memory and of its reads).
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

uint weightU16(uint b) { return (W[b >> 2] >> ((b & 2u) << 3)) & 0xFFFFu; } // b even
uint weightWord(uint b) { return weightU16(b) | (weightU16(b + 2u) << 16); }  // b even, any alignment

// Block u of the row starting at byte `row` as 8 words of int8 weights (element 4k + i in byte i of
// word k) and its scale.
void loadBlock(uint row, uint u, out uint q[8], out float d) {
#if defined(WEIGHT_Q4_0)
    const uint b = row + 18u * u;
    d = unpackHalf2x16(weightU16(b)).x;
    for (uint k = 0u; k < 4u; ++k) {
        const uint w = weightWord(b + 2u + 4u * k);
        // nibbles n → bytes n − 8 without borrows between bytes: ((n | 0x80) − 8) ^ 0x80
        q[k] = (((w & 0x0F0F0F0Fu) | 0x80808080u) - 0x08080808u) ^ 0x80808080u;
        q[k + 4u] = ((((w >> 4) & 0x0F0F0F0Fu) | 0x80808080u) - 0x08080808u) ^ 0x80808080u;
    }
#elif defined(WEIGHT_Q8_0)
    const uint b = row + 34u * u;
    d = unpackHalf2x16(weightU16(b)).x;
    for (uint k = 0u; k < 8u; ++k) q[k] = weightWord(b + 2u + 4u * k);
#else
#error matmul_dot.comp: WEIGHT_Q4_0 or WEIGHT_Q8_0
#endif
}

const uint TILE_ROWS = 64u, TILE_TOKENS = 32u, WORDS = 8u;
// +1 word: invocations reading the same word of consecutive rows hit different banks
shared uint tileW[TILE_ROWS][WORDS + 1u];
shared float tileWd[TILE_ROWS];
shared uint tileX[TILE_TOKENS][WORDS + 1u];
shared float tileXd[TILE_TOKENS];

void main() {
    const uint tid = gl_LocalInvocationID.x;
    const uint row0 = gl_WorkGroupID.x * TILE_ROWS, token0 = gl_WorkGroupID.y * TILE_TOKENS;
    const uint blocks = p.cols / 32u;
    // this invocation's outputs: rows rowLane + 16i, tokens tokenLane + 8j
    const uint rowLane = tid % 16u, tokenLane = tid / 16u;
    float acc[4][4];
    for (uint i = 0u; i < 4u; ++i)
        for (uint j = 0u; j < 4u; ++j) acc[i][j] = 0.0;

    for (uint u = 0u; u < blocks; ++u) {
        if (tid < TILE_ROWS) {
            uint q[8];
            float d = 0.0;
            const uint row = row0 + tid;
            if (row < p.rows) loadBlock(row * p.rowStride, u, q, d);
            else for (uint k = 0u; k < WORDS; ++k) q[k] = 0u;
            for (uint k = 0u; k < WORDS; ++k) tileW[tid][k] = q[k];
            tileWd[tid] = d;
        }
        for (uint e = tid; e < TILE_TOKENS * (WORDS + 1u); e += 128u) {
            const uint t = e / (WORDS + 1u), k = e % (WORDS + 1u);
            const uint word = token0 + t < p.nTokens ? xq[((token0 + t) * p.xStride + u) * 9u + k] : 0u;
            if (k < WORDS) tileX[t][k] = word;
            else tileXd[t] = uintBitsToFloat(word);
        }
        barrier();
        int sums[4][4];
        for (uint i = 0u; i < 4u; ++i)
            for (uint j = 0u; j < 4u; ++j) sums[i][j] = 0;
        for (uint k = 0u; k < WORDS; ++k) {
            uint wv[4], xv[4];
            for (uint i = 0u; i < 4u; ++i) wv[i] = tileW[rowLane + 16u * i][k];
            for (uint j = 0u; j < 4u; ++j) xv[j] = tileX[tokenLane + 8u * j][k];
            for (uint i = 0u; i < 4u; ++i)
                for (uint j = 0u; j < 4u; ++j) sums[i][j] += dot4x8(wv[i], xv[j], 0);
        }
        for (uint i = 0u; i < 4u; ++i)
            for (uint j = 0u; j < 4u; ++j)
                acc[i][j] += float(sums[i][j]) * (tileWd[rowLane + 16u * i] * tileXd[tokenLane + 8u * j]);
        barrier(); // the tiles are refilled by the next block
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
