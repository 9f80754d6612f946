#version 450
// RoPE on the query (in place) and the key of each token, then the key and value stored as fp16
// in the layer's KV cache at the token's position. NORM pairs dims (2i, 2i+1), NEOX pairs
// (i, i + nRot/2); dims ≥ nRot pass through. cos/sin come from a table the host fills with the
// CPU backend's angles: Vulkan only bounds sin/cos to 2^-11 absolute error inside [−π, π], far too
// loose for positions in the thousands.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) buffer Query { float q[]; };
layout(std430, binding = 1) readonly buffer Key { float k[]; };
layout(std430, binding = 2) readonly buffer Value { float v[]; };
layout(std430, binding = 3) writeonly buffer KeyCache { uint kCache[]; };   // fp16 pairs
layout(std430, binding = 4) writeonly buffer ValueCache { uint vCache[]; }; // fp16 pairs
layout(std430, binding = 5) readonly buffer Angles { vec2 cosSin[]; };      // [token][nRot/2]
layout(push_constant) uniform Params {
    uint nHead;
    uint nHeadKv;
    uint headDim;
    uint nRot;
    uint neox;     // 1: NEOX pairing, 0: NORM
    uint qStride;  // floats between tokens in q
    uint kvStride; // floats between tokens in k and v
} p;
// Read on the device, so a recorded decode step serves every position (VulkanModel writes it per step).
layout(std430, binding = 6) readonly buffer Position { uint pos0; }; // position of the first token

// The two dims rotated together as pair i of a head, and the angle index.
void pairOf(uint i, out uint a, out uint b) {
    if (p.neox != 0u) { a = i; b = i + p.nRot / 2u; }
    else { a = 2u * i; b = 2u * i + 1u; }
}

// Dim d of the rotated key head starting at `head` (each output dim reads its partner).
float rotatedKey(uint head, uint d, uint angleBase) {
    if (d >= p.nRot) return k[head + d];
    const uint half_ = p.nRot / 2u;
    const uint i = p.neox != 0u ? d % half_ : d / 2u;
    uint a, b;
    pairOf(i, a, b);
    const vec2 cs = cosSin[angleBase + i];
    const float x0 = k[head + a], x1 = k[head + b];
    return d == a ? x0 * cs.x - x1 * cs.y : x0 * cs.y + x1 * cs.x;
}

void main() {
    const uint t = gl_GlobalInvocationID.x;
    const uint token = gl_WorkGroupID.y;
    const uint halfHead = p.headDim / 2u;
    const uint angleBase = token * (p.nRot / 2u);

    // query: one invocation per pair, in place
    if (t < p.nHead * halfHead) {
        const uint head = token * p.qStride + (t / halfHead) * p.headDim;
        const uint i = t % halfHead;
        if (i < p.nRot / 2u) {
            uint a, b;
            pairOf(i, a, b);
            const vec2 cs = cosSin[angleBase + i];
            const float x0 = q[head + a], x1 = q[head + b];
            q[head + a] = x0 * cs.x - x1 * cs.y;
            q[head + b] = x0 * cs.y + x1 * cs.x;
        }
    }
    // key and value: one invocation per pair of adjacent dims (one 32-bit word of the cache)
    const uint kvDim = p.nHeadKv * p.headDim;
    if (t < kvDim / 2u) {
        const uint head = token * p.kvStride + (t / halfHead) * p.headDim;
        const uint d = 2u * (t % halfHead);
        const uint word = (pos0 + token) * (kvDim / 2u) + t;
        kCache[word] = packHalf2x16(vec2(rotatedKey(head, d, angleBase), rotatedKey(head, d + 1u, angleBase)));
        const uint src = token * p.kvStride + 2u * t;
        vCache[word] = packHalf2x16(vec2(v[src], v[src + 1u]));
    }
}
