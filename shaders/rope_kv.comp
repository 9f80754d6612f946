#version 450
// RoPE on the query (in place) and the key of each token, then the key and value stored as fp16
// in the layer's KV cache at the token's position. NORM pairs dims (2i, 2i+1), NEOX pairs
// (i, i + nRot/2); dims ≥ nRot pass through. cos/sin come from a table the host fills with the
// CPU backend's angles: Vulkan only bounds sin/cos to 2^-11 absolute error inside [−π, π], far too
// loose for positions in the thousands.
// With KV_Q8 the cache holds 8-bit blocks of 32 elements instead (Q8_0's rounding: d = max|x| / 127
// stored fp16-rounded as fp32 from element scaleBase of the buffer, quants round(x / d) before
// them); a workgroup's pairs are whole blocks, so it finds each block's maximum in shared memory.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) buffer Query { float q[]; };
layout(std430, binding = 1) readonly buffer Key { float k[]; };
layout(std430, binding = 2) readonly buffer Value { float v[]; };
layout(std430, binding = 3) writeonly buffer KeyCache { uint kCache[]; };   // fp16 pairs
layout(std430, binding = 4) writeonly buffer ValueCache { uint vCache[]; }; // fp16 pairs
layout(std430, binding = 3) writeonly buffer KeyScales { float kScale[]; };  // KV_Q8
layout(std430, binding = 4) writeonly buffer ValueScales { float vScale[]; };
layout(std430, binding = 5) readonly buffer Angles { vec2 cosSin[]; };      // [token][nRot/2]
layout(push_constant) uniform Params {
    uint nHead;
    uint nHeadKv;
    uint headDim;
    uint nRot;
    uint neox;     // 1: NEOX pairing, 0: NORM
    uint qStride;  // floats between tokens in q
    uint kvStride; // floats between tokens in k and v
    uint scaleBase; // KV_Q8: the first block scale's float index in each cache buffer
} p;
layout(constant_id = 1) const uint KV_Q8 = 0; // 1: 8-bit blocks of 32 (kvDim a multiple of 32)

shared float blockMax[2u * WG]; // |k| and |v| maxima of each invocation's pair
shared uint quantized[2u * WG]; // each invocation's key and value pair as two int8
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

float toHalfPrecision(float x) { return unpackHalf2x16(packHalf2x16(vec2(x, 0.0))).x; }

// round(x / d) of both, half away from zero, as two int8 in the low 16 bits (Q8_0's quants: the
// reciprocal of the unrounded scale, as ggml's quantize_row_q8_0).
uint quantizePair(vec2 x, float d) {
    const vec2 scaled = x * (d != 0.0 ? 1.0 / d : 0.0);
    const ivec2 q = ivec2(clamp(sign(scaled) * floor(abs(scaled) + 0.5), -127.0, 127.0));
    return (uint(q.x) & 0xffu) | ((uint(q.y) & 0xffu) << 8);
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
    // key and value: one invocation per pair of adjacent dims
    const uint kvDim = p.nHeadKv * p.headDim;
    const bool mine = t < kvDim / 2u;
    vec2 key = vec2(0.0), value = vec2(0.0);
    if (mine) {
        const uint head = token * p.kvStride + (t / halfHead) * p.headDim;
        const uint d = 2u * (t % halfHead);
        key = vec2(rotatedKey(head, d, angleBase), rotatedKey(head, d + 1u, angleBase));
        const uint src = token * p.kvStride + 2u * t;
        value = vec2(v[src], v[src + 1u]);
    }
    const uint element = (pos0 + token) * kvDim + 2u * t; // the pair's first element in the cache
    if (KV_Q8 == 0u) { // fp16: the pair is one 32-bit word
        if (mine) {
            kCache[element >> 1] = packHalf2x16(key);
            vCache[element >> 1] = packHalf2x16(value);
        }
        return;
    }
    // 8-bit: the block's 16 pairs are invocations first … first + 15 of this workgroup
    const uint local = gl_LocalInvocationID.x, first = local & ~15u;
    blockMax[local] = max(abs(key.x), abs(key.y));
    blockMax[WG + local] = max(abs(value.x), abs(value.y));
    barrier();
    float maxK = 0.0, maxV = 0.0;
    for (uint i = 0u; i < 16u; ++i) {
        maxK = max(maxK, blockMax[first + i]);
        maxV = max(maxV, blockMax[WG + first + i]);
    }
    const float dK = maxK / 127.0, dV = maxV / 127.0;
    quantized[local] = quantizePair(key, dK);
    quantized[WG + local] = quantizePair(value, dV);
    barrier();
    if (mine && (t & 1u) == 0u) { // an even pair writes the word it shares with the next one
        kCache[element >> 2] = quantized[local] | (quantized[local + 1u] << 16);
        vCache[element >> 2] = quantized[WG + local] | (quantized[WG + local + 1u] << 16);
    }
    if (mine && (t & 15u) == 0u) {
        kScale[p.scaleBase + (element >> 5)] = toHalfPrecision(dK);
        vScale[p.scaleBase + (element >> 5)] = toHalfPrecision(dV);
    }
}
