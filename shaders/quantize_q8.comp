#version 450
// Activations → 8-bit blocks for the integer dot-product mat-mul (matmul_dot.comp): each run of 32
// floats of a token's row becomes 32 int8 quants as the CPU backend rounds activations for Q4_0/Q8_0
// weights (inference/cpu/QuantizedActivations.cpp, ggml's quantize_row_q8_0): d = max|x| / 127 kept
// fp16-rounded, q = round(x / d) half away from zero — what llama.cpp's CPU build does for its
// integer dot products. A block is 9 words: the 32 quants packed four to a word, lowest first,
// then d as a float. One invocation per block; tokens are rows of xStride floats.
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_control_flow_attributes : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer Input { vec4 x4[]; };
layout(std430, binding = 1) writeonly buffer Output { uint xq[]; };
layout(push_constant) uniform Params {
    uint blocks;  // blocks per token (cols / 32)
    uint nTokens;
    uint xStride; // floats between tokens (a multiple of 4)
} p;

void main() {
    const uint index = linearGroup() * WG + gl_LocalInvocationID.x;
    if (index >= p.blocks * p.nTokens) return;
    const uint token = index / p.blocks, block = index % p.blocks;
    const uint base = (token * p.xStride + block * 32u) / 4u;
    vec4 v[8];
    float amax = 0.0;
    [[unroll]] for (uint k = 0u; k < 8u; ++k) {
        v[k] = x4[base + k];
        const vec4 a = abs(v[k]);
        amax = max(amax, max(max(a.x, a.y), max(a.z, a.w)));
    }
    const float d = amax / 127.0, id = d != 0.0 ? 1.0 / d : 0.0;
    const uint out0 = index * 9u;
    [[unroll]] for (uint k = 0u; k < 8u; ++k) {
        const vec4 scaled = v[k] * id;
        const ivec4 q = ivec4(clamp(sign(scaled) * floor(abs(scaled) + 0.5), -127.0, 127.0));
        xq[out0 + k] = uint(q.x & 255) | (uint(q.y & 255) << 8) | (uint(q.z & 255) << 16) | (uint(q.w & 255) << 24);
    }
    xq[out0 + 8u] = floatBitsToUint(unpackHalf2x16(packHalf2x16(vec2(d, 0.0))).x);
}
