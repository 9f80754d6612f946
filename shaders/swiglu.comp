#version 450
// gate = silu(gate) · up, silu(t) = t / (1 + e^−t).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) buffer Gate { float gate[]; };
layout(std430, binding = 1) readonly buffer Up { float up[]; };
layout(push_constant) uniform Params { uint n; } p;

void main() {
    const uint i = linearGroup() * WG + gl_LocalInvocationID.x;
    if (i < p.n) {
        const float g = gate[i];
        gate[i] = g / (1.0 + exp(-g)) * up[i];
    }
}
