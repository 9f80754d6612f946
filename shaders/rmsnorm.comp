#version 450
// out[r] = x[r] / sqrt(mean(x[r]²) + eps) · weight, one workgroup per row r; fp32 sums.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Weight { float weight[]; };
layout(std430, binding = 2) writeonly buffer Output { float outRows[]; };
layout(push_constant) uniform Params {
    uint n;      // values per row
    uint stride; // floats between rows (x and out)
    float eps;
} p;

void main() {
    const uint base = gl_WorkGroupID.x * p.stride;
    float sumSquares = 0.0;
    for (uint i = gl_LocalInvocationID.x; i < p.n; i += WG) sumSquares += x[base + i] * x[base + i];
    sumSquares = workgroupSum(sumSquares);
    const float scale = 1.0 / sqrt(sumSquares / float(p.n) + p.eps);
    for (uint i = gl_LocalInvocationID.x; i < p.n; i += WG) outRows[base + i] = x[base + i] * scale * weight[i];
}
