#version 450
// Flash-decoding, second pass: merges the splits of each query head (gl_WorkGroupID.x) of each
// query token (gl_WorkGroupID.y):
// M = max m_s, L = Σ l_s·e^(m_s − M), out = Σ o_s·e^(m_s − M) / L.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer Partials { float partials[]; };
layout(std430, binding = 1) writeonly buffer Output { float outHeads[]; };
layout(push_constant) uniform Params {
    uint headDim;
    uint nSplits;
} p;

void main() {
    const uint h = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x; // token-major, as in q
    const uint stride = 2u + p.headDim;
    const uint base = h * p.nSplits * stride;
    float bestMax = -3.4e38;
    for (uint s = 0u; s < p.nSplits; ++s) bestMax = max(bestMax, partials[base + s * stride]);
    float total = 0.0;
    for (uint s = 0u; s < p.nSplits; ++s) total += partials[base + s * stride + 1u] * exp(partials[base + s * stride] - bestMax);
    for (uint d = gl_LocalInvocationID.x; d < p.headDim; d += WG) {
        float acc = 0.0;
        for (uint s = 0u; s < p.nSplits; ++s) acc += partials[base + s * stride + 2u + d] * exp(partials[base + s * stride] - bestMax);
        outHeads[h * p.headDim + d] = acc / total;
    }
}
