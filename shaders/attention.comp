#version 450
// Flash-decoding, first pass: the query heads that share one KV head (gl_WorkGroupID.x: the KV head,
// or a part of its heads where more than MAX_GROUP share it) of query token t (gl_WorkGroupID.z)
// against the positions of split s (gl_WorkGroupID.y) of the fp16 KV cache, with an online softmax
// over tiles of WG positions. Each key and value is read once for all the heads of its group (GQA 6
// in the 1.5B distill: a sixth of the cache reads of one workgroup per query head). Token t of a
// batch sees positions [0, pos0 + t]: the causal mask of a prompt batch whose keys are all in the
// cache already. Writes each head's running max m, sum l and unnormalized output o for the split to
// `partials` ([token][head][split][2 + headDim]); attention_reduce.comp merges the splits.
// The cache holds fp16, or with KV_Q8 8-bit blocks of 32 (Q8_0's values: int8 quants, then one
// fp32 scale per block from element scaleBase of the same buffer; head sizes a multiple of 32).
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_control_flow_attributes : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer Query { float q[]; };
layout(std430, binding = 1) readonly buffer KeyCache { uint kCache[]; };
layout(std430, binding = 1) readonly buffer KeyCacheVec4 { uvec4 kCache4[]; };
layout(std430, binding = 1) readonly buffer KeyCacheVec2 { uvec2 kCache2[]; };
layout(std430, binding = 1) readonly buffer KeyScales { float kScale[]; };
layout(std430, binding = 2) readonly buffer ValueCache { uint vCache[]; };
layout(std430, binding = 2) readonly buffer ValueScales { float vScale[]; };
layout(std430, binding = 3) writeonly buffer Partials { float partials[]; };
layout(push_constant) uniform Params {
    uint nHead;
    uint nHeadKv;
    uint headDim;   // ≤ MAX_HEAD_DIM, even
    float scale;    // 1 / sqrt(headDim)
    uint scaleBase; // KV_Q8: the first block scale's float index in each cache buffer
} p;
layout(constant_id = 1) const uint KV_Q8 = 0; // 1: the cache holds 8-bit blocks
// Read on the device, so a recorded decode step serves every position (VulkanModel writes it per step).
layout(std430, binding = 4) readonly buffer Position { uint pos0; }; // position of token 0: it sees [0, pos0]

const uint MAX_HEAD_DIM = 256u;
const uint MAX_GROUP = 8u;                          // query heads per workgroup
const uint MAX_WORDS = MAX_HEAD_DIM / 2u / 32u;     // value words (2 dims) per invocation, WG ≥ 32
const float NO_SCORE = -3.0e38; // finite, so an empty split's weight exp(m − M) is 0, not NaN

shared float queries[MAX_GROUP * MAX_HEAD_DIM];
shared float tileMax[MAX_GROUP * WG];
shared float weights[MAX_GROUP * WG];

// q · key of the group's head g (its query in queries[]) for the key at half-index keyBase.
void scoreKey(uint keyBase, uint heads, inout float s[MAX_GROUP]) {
    if (KV_Q8 != 0u) { // 8 int8 per uvec2, one scale per 32 (keyBase is a multiple of 32)
        for (uint d = 0u; d < p.headDim; d += 8u) {
            const uvec2 w = kCache2[(keyBase + d) >> 3];
            const float scale = kScale[p.scaleBase + ((keyBase + d) >> 5)];
            const vec4 k0 = unpackInt8x4(w.x) * scale, k1 = unpackInt8x4(w.y) * scale;
            [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) {
                if (g < heads) {
                    const uint qd = g * MAX_HEAD_DIM + d;
                    s[g] += dot(k0, vec4(queries[qd], queries[qd + 1u], queries[qd + 2u], queries[qd + 3u])) +
                            dot(k1, vec4(queries[qd + 4u], queries[qd + 5u], queries[qd + 6u], queries[qd + 7u]));
                }
            }
        }
    } else if (p.headDim % 8u == 0u) { // 16-byte rows: whole uvec4 loads (keyBase is then a multiple of 8)
        for (uint d = 0u; d < p.headDim; d += 8u) {
            const uvec4 w = kCache4[(keyBase + d) >> 3];
            const vec4 k0 = vec4(unpackHalf2x16(w.x), unpackHalf2x16(w.y)), k1 = vec4(unpackHalf2x16(w.z), unpackHalf2x16(w.w));
            [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) {
                if (g < heads) {
                    const uint qd = g * MAX_HEAD_DIM + d;
                    s[g] += dot(k0, vec4(queries[qd], queries[qd + 1u], queries[qd + 2u], queries[qd + 3u])) +
                            dot(k1, vec4(queries[qd + 4u], queries[qd + 5u], queries[qd + 6u], queries[qd + 7u]));
                }
            }
        }
    } else {
        for (uint d = 0u; d < p.headDim; d += 2u) {
            const vec2 k = unpackHalf2x16(kCache[(keyBase + d) >> 1]);
            [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g)
                if (g < heads) s[g] += dot(k, vec2(queries[g * MAX_HEAD_DIM + d], queries[g * MAX_HEAD_DIM + d + 1u]));
        }
    }
}

void main() {
    const uint tid = gl_LocalInvocationID.x, split = gl_WorkGroupID.y, token = gl_WorkGroupID.z;
    const uint group = p.nHead / p.nHeadKv, parts = (group + MAX_GROUP - 1u) / MAX_GROUP;
    const uint kvHead = gl_WorkGroupID.x / parts;
    const uint firstHead = kvHead * group + (gl_WorkGroupID.x % parts) * MAX_GROUP;
    const uint heads = min(MAX_GROUP, kvHead * group + group - firstHead);
    const uint kvDim = p.nHeadKv * p.headDim, headWords = p.headDim / 2u;
    // splits (gl_NumWorkGroups.y) cover the last token's positions; earlier tokens' last ones may be empty
    const uint splitSize = (pos0 + gl_NumWorkGroups.z + gl_NumWorkGroups.y - 1u) / gl_NumWorkGroups.y;
    const uint begin = split * splitSize;
    const uint end = min(begin + splitSize, pos0 + 1u + token);
    const uint queryBase = (token * p.nHead + firstHead) * p.headDim;
    for (uint e = tid; e < heads * p.headDim; e += WG) queries[(e / p.headDim) * MAX_HEAD_DIM + e % p.headDim] = q[queryBase + e];
    barrier();

    float m[MAX_GROUP], l[MAX_GROUP], o[MAX_GROUP * 2u * MAX_WORDS];
    [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) {
        m[g] = NO_SCORE;
        l[g] = 0.0;
    }
    [[unroll]] for (uint j = 0u; j < MAX_GROUP * 2u * MAX_WORDS; ++j) o[j] = 0.0;

    for (uint tile = begin; tile < end; tile += WG) {
        // scores: one position per invocation, every head of the group
        const uint pos = tile + tid;
        float s[MAX_GROUP];
        [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) s[g] = 0.0;
        if (pos < end) {
            scoreKey(pos * kvDim + kvHead * p.headDim, heads, s);
            [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) s[g] *= p.scale;
        } else {
            [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) s[g] = NO_SCORE;
        }
        // the tile's max of every head in one tree
        [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) tileMax[g * WG + tid] = s[g];
        barrier();
        for (uint stride = WG / 2u; stride > 0u; stride >>= 1u) {
            if (tid < stride)
                [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) tileMax[g * WG + tid] = max(tileMax[g * WG + tid], tileMax[g * WG + tid + stride]);
            barrier();
        }
        // online softmax: new max, rescale what was accumulated, this tile's weights
        [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) {
            const float newMax = max(m[g], tileMax[g * WG]);
            const float correction = exp(m[g] - newMax);
            m[g] = newMax;
            l[g] *= correction;
            [[unroll]] for (uint j = 0u; j < 2u * MAX_WORDS; ++j) o[g * 2u * MAX_WORDS + j] *= correction;
            weights[g * WG + tid] = pos < end ? exp(s[g] - newMax) : 0.0;
        }
        barrier();
        // output: each invocation owns value words tid, tid + WG, … (2 dims each) of every head
        const uint count = min(WG, end - tile);
        for (uint i = 0u; i < count; ++i) {
            const uint valueBase = (tile + i) * kvDim + kvHead * p.headDim; // its first element
            float w[MAX_GROUP];
            [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) {
                w[g] = weights[g * WG + i];
                l[g] += w[g];
            }
            [[unroll]] for (uint j = 0u; j < MAX_WORDS; ++j) {
                const uint word = tid + j * WG;
                if (word < headWords) {
                    const uint e = valueBase + 2u * word;
                    vec2 v;
                    if (KV_Q8 != 0u) {
                        const int w = int(vCache[e >> 2]), shift = int(8u * (e & 3u));
                        v = vec2(bitfieldExtract(w, shift, 8), bitfieldExtract(w, shift + 8, 8)) * vScale[p.scaleBase + (e >> 5)];
                    } else {
                        v = unpackHalf2x16(vCache[e >> 1]);
                    }
                    [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) {
                        o[g * 2u * MAX_WORDS + 2u * j] += w[g] * v.x;
                        o[g * 2u * MAX_WORDS + 2u * j + 1u] += w[g] * v.y;
                    }
                }
            }
        }
        barrier(); // tileMax[] and weights[] are rewritten by the next tile
    }

    [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) {
        if (g >= heads) continue;
        const uint outBase = ((token * p.nHead + firstHead + g) * gl_NumWorkGroups.y + split) * (2u + p.headDim);
        if (tid == 0u) {
            partials[outBase] = m[g];
            partials[outBase + 1u] = l[g];
        }
        [[unroll]] for (uint j = 0u; j < MAX_WORDS; ++j) {
            const uint word = tid + j * WG;
            if (word >= headWords) continue;
            partials[outBase + 2u + 2u * word] = o[g * 2u * MAX_WORDS + 2u * j];
            partials[outBase + 3u + 2u * word] = o[g * 2u * MAX_WORDS + 2u * j + 1u];
        }
    }
}
