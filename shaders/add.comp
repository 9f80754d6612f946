#version 450
// y += x (the residual connection); x repeats every `period` floats (a bias over a batch).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) buffer Target { float y[]; };
layout(std430, binding = 1) readonly buffer Input { float x[]; };
layout(push_constant) uniform Params {
    uint n;
    uint period;
} p;

void main() {
    const uint i = linearGroup() * WG + gl_LocalInvocationID.x;
    if (i < p.n) y[i] += x[i % p.period];
}
