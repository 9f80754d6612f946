#version 450
// Y[token][yOffset + row] = Σ_c W[row][c] · X[token][c] for a batch of tokens (the prompt): one
// workgroup per tile of 64 weight rows × 32 tokens. The tile walks the columns 32 at a time: 64
// invocations each dequantize one 32-weight unit of their row into shared memory (so every
// weight is decoded once per 32 tokens instead of once per token), all 128 stage the 32×32
// activations, then each invocation accumulates 4 rows × 4 tokens in fp32.
#extension GL_GOOGLE_include_directive : require

layout(local_size_x = 128) in;

layout(std430, binding = 0) readonly buffer Weights { uint W[]; };
layout(std430, binding = 1) readonly buffer Input { float x[]; };
layout(std430, binding = 2) writeonly buffer Output { float y[]; };
layout(push_constant) uniform Params {
    uint cols;      // weights per row (K)
    uint rows;      // rows in this slice
    uint rowStride; // bytes per row
    uint yOffset;   // the slice's first row
    uint xStride;   // floats between tokens in x
    uint yStride;   // floats between tokens in y
    uint nTokens;
} p;

#include "dequant.glsl"

const uint TILE_ROWS = 64u, TILE_TOKENS = 32u, UNIT = 32u;
// +1 column: invocations reading the same column of consecutive rows hit different banks
shared float tileW[TILE_ROWS][UNIT + 1u];
shared float tileX[TILE_TOKENS][UNIT + 1u];

void main() {
    const uint tid = gl_LocalInvocationID.x;
    const uint row0 = gl_WorkGroupID.x * TILE_ROWS, token0 = gl_WorkGroupID.y * TILE_TOKENS;
    const uint units = (p.cols + UNIT - 1u) / UNIT;
    // this invocation's outputs: rows rowLane + 16i, tokens tokenLane + 8j
    const uint rowLane = tid % 16u, tokenLane = tid / 16u;
    float acc[4][4];
    for (uint i = 0u; i < 4u; ++i)
        for (uint j = 0u; j < 4u; ++j) acc[i][j] = 0.0;

    for (uint u = 0u; u < units; ++u) {
        if (tid < TILE_ROWS) {
            float w[32];
            const uint row = row0 + tid;
            if (row < p.rows) loadUnit(row * p.rowStride, u, p.cols, w);
            else for (uint k = 0u; k < UNIT; ++k) w[k] = 0.0;
            for (uint k = 0u; k < UNIT; ++k) tileW[tid][k] = w[k];
        }
        for (uint e = tid; e < TILE_TOKENS * UNIT; e += 128u) {
            const uint t = e / UNIT, k = e % UNIT, c = u * UNIT + k;
            tileX[t][k] = (token0 + t < p.nTokens && c < p.cols) ? x[(token0 + t) * p.xStride + c] : 0.0;
        }
        barrier();
        for (uint k = 0u; k < UNIT; ++k) {
            float wv[4], xv[4];
            for (uint i = 0u; i < 4u; ++i) wv[i] = tileW[rowLane + 16u * i][k];
            for (uint j = 0u; j < 4u; ++j) xv[j] = tileX[tokenLane + 8u * j][k];
            for (uint i = 0u; i < 4u; ++i)
                for (uint j = 0u; j < 4u; ++j) acc[i][j] += wv[i] * xv[j];
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
