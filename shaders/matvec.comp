#version 450
// y[token][yOffset + row] = Σ_c W[row][c] · x[token][c] for one slice of a weight matrix: the
// decode path. A workgroup computes ROWS rows (specialization constant 1): its WG invocations
// (constant 0) walk the rows' units side by side, each loading a unit of x once for all ROWS rows
// and accumulating in fp32; then the workgroup sums: with subgroup arithmetic (the _sg variants,
// used where the device has it) one subgroupAdd per row and at most one barrier, else in shared
// memory, all ROWS rows in one tree. Rows in x/y of the grid (linearGroup), tokens along z:
// TOKENS tokens per workgroup (constant 2), so a prompt batch loads each unit of x once for ROWS
// rows and walks each row's weights while they are in cache for TOKENS tokens (what lavapipe runs
// prompts with: a CPU has caches, not the shared memory the tiled mat-mul is built for).
// Epilogues (push flags) save the dispatches and barriers of separate kernels: kAccumulate adds to
// y (the residual), kBias adds bias[row] (qwen2's q/k/v). A prologue saves the RMSNorm before it:
// with NORM (constant 3), x is the residual stream and the kernel multiplies it by the norm's weights (binding
// 4) as it loads it, sums its squares alongside the rows, and scales each sum by 1/√(mean x² + eps)
// — W·rmsNorm(x) without the normalized copy, its dispatch and its barrier. GATED (the _glu variants) reads two
// matrices, gate (binding 0) and up (binding 3), and writes silu(gate·x) · (up·x): SwiGLU's input.
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_control_flow_attributes : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif
#include "common.glsl"

layout(constant_id = 1) const uint ROWS = 4;
layout(constant_id = 2) const uint TOKENS = 1;
// 1: x is normalized on the way in (a constant, not a flag: lavapipe compiles the variant without
// the prologue as small and as fast as before)
layout(constant_id = 3) const uint NORM = 0;

#ifdef TEXEL_LOADS
// W and x as uniform texel buffers of uvec4: on lavapipe a texel fetch is a vector gather, while a
// storage-buffer load runs a bounds-checked loop over the SIMD lanes (the _tx variants).
layout(binding = 0) uniform usamplerBuffer weightTexels;
layout(binding = 1) uniform usamplerBuffer inputTexels;
#ifdef GATED
layout(binding = 3) uniform usamplerBuffer upTexels;
uvec4 weights4(uint m, uint i) { return m == 0u ? texelFetch(weightTexels, int(i)) : texelFetch(upTexels, int(i)); }
#else
uvec4 weights4(uint m, uint i) { return texelFetch(weightTexels, int(i)); }
#endif
uint weightWord(uint m, uint i) {
    const uvec4 v = weights4(m, i >> 2);
    const uint c = i & 3u;
    return c == 0u ? v.x : c == 1u ? v.y : c == 2u ? v.z : v.w;
}
vec4 input4(uint i) { return uintBitsToFloat(texelFetch(inputTexels, int(i))); }
float inputAt(uint i) {
    const vec4 v = input4(i >> 2);
    const uint c = i & 3u;
    return c == 0u ? v.x : c == 1u ? v.y : c == 2u ? v.z : v.w;
}
#else
layout(std430, binding = 0) readonly buffer Weights { uint W[]; };
layout(std430, binding = 0) readonly buffer WeightsVec4 { uvec4 W4[]; };
layout(std430, binding = 1) readonly buffer Input { float xs[]; };
layout(std430, binding = 1) readonly buffer InputVec4 { vec4 x4[]; };
#ifdef GATED
layout(std430, binding = 3) readonly buffer Up { uint U[]; };
layout(std430, binding = 3) readonly buffer UpVec4 { uvec4 U4[]; };
uvec4 weights4(uint m, uint i) { return m == 0u ? W4[i] : U4[i]; }
uint weightWord(uint m, uint i) { return m == 0u ? W[i] : U[i]; }
#else
uvec4 weights4(uint m, uint i) { return W4[i]; }
uint weightWord(uint m, uint i) { return W[i]; }
#endif
vec4 input4(uint i) { return x4[i]; }
float inputAt(uint i) { return xs[i]; }
#endif
layout(std430, binding = 2) buffer Output { float y[]; };
layout(std430, binding = 4) readonly buffer Norm { float normW[]; };
layout(std430, binding = 4) readonly buffer NormVec4 { vec4 normW4[]; };
#ifndef GATED
layout(std430, binding = 3) readonly buffer Bias { float bias[]; };
#endif
layout(push_constant) uniform Params {
    uint cols;      // weights per row
    uint rows;      // rows in this slice
    uint rowStride; // bytes per row
    uint yOffset;   // the slice's first row
    uint xStride;   // floats between tokens in x
    uint yStride;   // floats between tokens in y
    uint flags;     // kAccumulate | kBias
    uint nTokens;   // tokens in x and y
    float eps;      // NORM: RMSNorm's epsilon
} p;

const uint kAccumulate = 1u, kBias = 2u;
bool normalizing() { return NORM != 0u; }
float normAt(uint i) { return normW[i]; }
vec4 norm4(uint i) { return normW4[i]; }

#include "unit_dot.glsl"

#ifdef GATED
#define MATRICES 2u
#else
#define MATRICES 1u
#endif
#define SUMS (ROWS * MATRICES)
#define ALL_SUMS (SUMS * TOKENS)
// the sums, then each token's Σ x² (NORM)
#define ACCS (ALL_SUMS + TOKENS)

shared float partial[ACCS * WG];

// What a token's sums are multiplied by: RMSNorm's 1/√(mean x² + eps) with NORM, else 1.
float normScale(float squares) { return normalizing() ? inversesqrt(squares / float(p.cols) + p.eps) : 1.0; }

// The epilogue: y[index] of the matrix's row `row` (counted from the tensor's first), from the sums
// of its matrices.
void store(uint index, uint row, float sum0, float sum1) {
#ifdef GATED
    y[index] = sum0 / (1.0 + exp(-sum0)) * sum1;
#else
    float value = sum0;
    if ((p.flags & kBias) != 0u) value += bias[row];
    if ((p.flags & kAccumulate) != 0u) value += y[index];
    y[index] = value;
#endif
}

void main() {
    const uint row0 = linearGroup() * ROWS;
    if (row0 >= p.rows) return; // whole workgroup leaves together
    const uint tid = gl_LocalInvocationID.x;
    const uint token0 = gl_WorkGroupID.z * TOKENS;
    const uint units = (p.cols + UNIT - 1u) / UNIT;
    // acc[(t * ROWS + r) * MATRICES + m]: token t, row r, matrix m; acc[ALL_SUMS + t]: token t's Σ x²
    float acc[ACCS];
    [[unroll]] for (uint i = 0u; i < ACCS; ++i) acc[i] = 0.0;
    for (uint u = tid; u < units; u += WG) {
        // not unrolled: TOKENS × ROWS copies of a K-quant's unit code take lavapipe's compiler minutes
        [[dont_unroll]] for (uint t = 0u; t < TOKENS; ++t) {
            // tokens past the batch's end repeat its last token (computed, never written)
            vec4 xv[UNIT_VEC4];
            loadX(min(token0 + t, p.nTokens - 1u) * p.xStride, u, p.cols, xv, acc[ALL_SUMS + t]);
            // rows past the slice's end repeat its last row (computed, never written)
            [[unroll]] for (uint r = 0u; r < ROWS; ++r) {
                const uint row = min(row0 + r, p.rows - 1u) * p.rowStride;
                [[unroll]] for (uint m = 0u; m < MATRICES; ++m) acc[(t * ROWS + r) * MATRICES + m] += unitDot(m, row, u, p.cols, xv);
            }
        }
    }
#ifdef USE_SUBGROUPS
    [[unroll]] for (uint i = 0u; i < ACCS; ++i) acc[i] = subgroupAdd(acc[i]);
    if (gl_NumSubgroups == 1u) {
        if (tid == 0u)
            [[unroll]] for (uint t = 0u; t < TOKENS; ++t) {
                if (token0 + t >= p.nTokens) break;
                const uint yBase = (token0 + t) * p.yStride + p.yOffset + row0;
                const float scale = normScale(acc[ALL_SUMS + t]);
                [[unroll]] for (uint r = 0u; r < ROWS; ++r) {
                    const uint i = (t * ROWS + r) * MATRICES;
                    if (row0 + r < p.rows) store(yBase + r, p.yOffset + row0 + r, acc[i] * scale, acc[i + MATRICES - 1u] * scale);
                }
            }
        return;
    }
    if (gl_SubgroupInvocationID == 0u)
        [[unroll]] for (uint i = 0u; i < ACCS; ++i) partial[i * WG + gl_SubgroupID] = acc[i];
    barrier();
    // invocation tid stores row tid % ROWS of tokens tid / ROWS, tid / ROWS + WG / ROWS, …
    for (uint e = tid; e < ROWS * TOKENS; e += WG) {
        const uint r = e % ROWS, t = e / ROWS;
        if (row0 + r >= p.rows || token0 + t >= p.nTokens) continue;
        float sums[MATRICES], squares = 0.0;
        [[unroll]] for (uint m = 0u; m < MATRICES; ++m) {
            sums[m] = 0.0;
            for (uint s = 0u; s < gl_NumSubgroups; ++s) sums[m] += partial[(e * MATRICES + m) * WG + s];
        }
        for (uint s = 0u; s < gl_NumSubgroups; ++s) squares += partial[(ALL_SUMS + t) * WG + s];
        const float scale = normScale(squares);
        store((token0 + t) * p.yStride + p.yOffset + row0 + r, p.yOffset + row0 + r, sums[0] * scale, sums[MATRICES - 1u] * scale);
    }
#else
    [[unroll]] for (uint i = 0u; i < ACCS; ++i) partial[i * WG + tid] = acc[i];
    barrier();
    for (uint stride = WG / 2u; stride > 0u; stride >>= 1u) {
        if (tid < stride)
            [[unroll]] for (uint i = 0u; i < ACCS; ++i) partial[i * WG + tid] += partial[i * WG + tid + stride];
        barrier();
    }
    for (uint e = tid; e < ROWS * TOKENS; e += WG) {
        const uint r = e % ROWS, t = e / ROWS;
        if (row0 + r >= p.rows || token0 + t >= p.nTokens) continue;
        const float scale = normScale(partial[(ALL_SUMS + t) * WG]);
        store((token0 + t) * p.yStride + p.yOffset + row0 + r, p.yOffset + row0 + r, partial[e * MATRICES * WG] * scale,
              partial[(e * MATRICES + MATRICES - 1u) * WG] * scale);
    }
#endif
}
