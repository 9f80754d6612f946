#version 450
// y[token][yOffset + row] = Σ_c W[row][c] · x[token][c] for one slice of a weight matrix.
// One workgroup per row (rows folded into x/y of the grid), tokens along z; each invocation
// decodes 32-weight units and accumulates in fp32, then the workgroup sums.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer Weights { uint W[]; };
layout(std430, binding = 1) readonly buffer Input { float x[]; };
layout(std430, binding = 2) writeonly buffer Output { float y[]; };
layout(push_constant) uniform Params {
    uint cols;      // weights per row
    uint rows;      // rows in this slice
    uint rowStride; // bytes per row
    uint yOffset;   // the slice's first row
    uint xStride;   // floats between tokens in x
    uint yStride;   // floats between tokens in y
} p;

#include "dequant.glsl"

void main() {
    const uint row = linearGroup();
    if (row >= p.rows) return; // whole workgroup leaves together
    const uint token = gl_WorkGroupID.z;
    const uint units = (p.cols + 31u) / 32u;
    const uint xBase = token * p.xStride;
    float acc = 0.0;
    for (uint u = gl_LocalInvocationID.x; u < units; u += WG) {
        float w[32];
        loadUnit(row * p.rowStride, u, p.cols, w);
        const uint c0 = 32u * u;
        const uint n = min(32u, p.cols - c0);
        for (uint j = 0u; j < n; ++j) acc += w[j] * x[xBase + c0 + j];
    }
    acc = workgroupSum(acc);
    if (gl_LocalInvocationID.x == 0u) y[token * p.yStride + p.yOffset + row] = acc;
}
