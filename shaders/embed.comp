#version 450
// out[t] = row tokens[t] of an embedding table slice, dequantized to fp32. Tokens outside the
// slice's rows are left to the dispatch of the slice that holds them.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer Weights { uint W[]; };
layout(std430, binding = 1) readonly buffer Tokens { uint tokens[]; };
layout(std430, binding = 2) writeonly buffer Output { float outRows[]; };
layout(push_constant) uniform Params {
    uint cols;
    uint rowStride; // bytes per row
    uint firstRow;  // the slice's first row
    uint rowCount;
    uint outStride; // floats between tokens in the output
} p;

#include "dequant.glsl"

void main() {
    const uint u = gl_GlobalInvocationID.x;
    const uint t = gl_WorkGroupID.y;
    const uint id = tokens[t];
    if (id < p.firstRow || id - p.firstRow >= p.rowCount || u >= (p.cols + 31u) / 32u) return;
    float w[32];
    loadUnit((id - p.firstRow) * p.rowStride, u, p.cols, w);
    const uint c0 = 32u * u;
    for (uint j = 0u; j < min(32u, p.cols - c0); ++j) outRows[t * p.outStride + c0 + j] = w[j];
}
