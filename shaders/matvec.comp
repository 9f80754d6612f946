#version 450
// y[token][yOffset + row] = Σ_c W[row][c] · x[token][c] for one slice of a weight matrix: the
// decode path. A workgroup computes ROWS rows (specialization constant 1): its WG invocations
// (constant 0) walk the rows' units side by side, each loading a unit of x once for all ROWS rows
// and accumulating in fp32; then the workgroup sums: with subgroup arithmetic (the _sg variants,
// used where the device has it) one subgroupAdd per row and at most one barrier, else in shared
// memory, all ROWS rows in one tree. Rows in x/y of the grid (linearGroup), tokens along z.
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_control_flow_attributes : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif
#include "common.glsl"

layout(constant_id = 1) const uint ROWS = 4;

#ifdef TEXEL_LOADS
// W and x as uniform texel buffers of uvec4: on lavapipe a texel fetch is a vector gather, while a
// storage-buffer load runs a bounds-checked loop over the SIMD lanes (the _tx variants).
layout(binding = 0) uniform usamplerBuffer weightTexels;
layout(binding = 1) uniform usamplerBuffer inputTexels;
uvec4 weights4(uint i) { return texelFetch(weightTexels, int(i)); }
uint weightWord(uint i) {
    const uvec4 v = weights4(i >> 2);
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
uvec4 weights4(uint i) { return W4[i]; }
uint weightWord(uint i) { return W[i]; }
vec4 input4(uint i) { return x4[i]; }
float inputAt(uint i) { return xs[i]; }
#endif
layout(std430, binding = 2) writeonly buffer Output { float y[]; };
layout(push_constant) uniform Params {
    uint cols;      // weights per row
    uint rows;      // rows in this slice
    uint rowStride; // bytes per row
    uint yOffset;   // the slice's first row
    uint xStride;   // floats between tokens in x
    uint yStride;   // floats between tokens in y
} p;

#include "unit_dot.glsl"

shared float partial[ROWS * WG];

void main() {
    const uint row0 = linearGroup() * ROWS;
    if (row0 >= p.rows) return; // whole workgroup leaves together
    const uint tid = gl_LocalInvocationID.x;
    const uint token = gl_WorkGroupID.z;
    const uint xBase = token * p.xStride;
    const uint units = (p.cols + UNIT - 1u) / UNIT;
    float acc[ROWS];
    [[unroll]] for (uint r = 0u; r < ROWS; ++r) acc[r] = 0.0;
    for (uint u = tid; u < units; u += WG) {
        vec4 xv[UNIT_VEC4];
        loadX(xBase, u, p.cols, xv);
        // rows past the slice's end repeat its last row (computed, never written)
        [[unroll]] for (uint r = 0u; r < ROWS; ++r) acc[r] += unitDot(min(row0 + r, p.rows - 1u) * p.rowStride, u, p.cols, xv);
    }
    const uint yBase = token * p.yStride + p.yOffset + row0;
#ifdef USE_SUBGROUPS
    [[unroll]] for (uint r = 0u; r < ROWS; ++r) acc[r] = subgroupAdd(acc[r]);
    if (gl_NumSubgroups == 1u) {
        if (tid == 0u)
            [[unroll]] for (uint r = 0u; r < ROWS; ++r)
                if (row0 + r < p.rows) y[yBase + r] = acc[r];
        return;
    }
    if (gl_SubgroupInvocationID == 0u)
        [[unroll]] for (uint r = 0u; r < ROWS; ++r) partial[r * WG + gl_SubgroupID] = acc[r];
    barrier();
    if (tid < ROWS && row0 + tid < p.rows) {
        float sum = 0.0;
        for (uint s = 0u; s < gl_NumSubgroups; ++s) sum += partial[tid * WG + s];
        y[yBase + tid] = sum;
    }
#else
    [[unroll]] for (uint r = 0u; r < ROWS; ++r) partial[r * WG + tid] = acc[r];
    barrier();
    for (uint stride = WG / 2u; stride > 0u; stride >>= 1u) {
        if (tid < stride)
            [[unroll]] for (uint r = 0u; r < ROWS; ++r) partial[r * WG + tid] += partial[r * WG + tid + stride];
        barrier();
    }
    if (tid < ROWS && row0 + tid < p.rows) y[yBase + tid] = partial[tid * WG];
#endif
}
