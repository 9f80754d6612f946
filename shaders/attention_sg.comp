#version 450
// Flash-decoding, first pass, for devices whose subgroup is a SIMD vector of a CPU (lavapipe): the
// same work and output as attention.comp, by one subgroup per workgroup and no shared memory. The
// lanes own consecutive slices of the head's dims (a 16-byte multiple: headDim % (8 × subgroup
// size) == 0), so every lane loads its part of a key or value row and keeps its part of the group's
// queries and outputs in registers; a position's score is a subgroupAdd over the lanes, and a
// position's weight reaches every lane by subgroupShuffle. On a CPU these are a few vector
// instructions, where attention.comp's loads of one shared value by every lane are per-lane loops.
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_control_flow_attributes : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#extension GL_KHR_shader_subgroup_shuffle : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer Query { float q[]; };
layout(std430, binding = 1) readonly buffer KeyCache { uvec4 kCache4[]; };
layout(std430, binding = 1) readonly buffer KeyCacheVec2 { uvec2 kCache2[]; };
layout(std430, binding = 1) readonly buffer KeyScales { float kScale[]; };
layout(std430, binding = 2) readonly buffer ValueCache { uvec4 vCache4[]; };
layout(std430, binding = 2) readonly buffer ValueCacheVec2 { uvec2 vCache2[]; };
layout(std430, binding = 2) readonly buffer ValueScales { float vScale[]; };
layout(std430, binding = 3) writeonly buffer Partials { float partials[]; };
layout(push_constant) uniform Params {
    uint nHead;
    uint nHeadKv;
    uint headDim;   // a multiple of 8 × the subgroup size, ≤ 256
    float scale;    // 1 / sqrt(headDim)
    uint scaleBase; // KV_Q8: the first block scale's float index in each cache buffer
} p;
// Read on the device, so a recorded decode step serves every position (VulkanModel writes it per step).
layout(std430, binding = 4) readonly buffer Position { uint pos0; }; // position of token 0: it sees [0, pos0]

const uint MAX_GROUP = 8u; // query heads per workgroup
// 8-dim (16-byte) pieces of a row per lane: headDim / (8 × subgroup size), set by the host
layout(constant_id = 1) const uint VECS = 2;
// 1: the cache holds 8-bit blocks of 32 (int8 quants, then fp32 scales from scaleBase), as in attention.comp
layout(constant_id = 2) const uint KV_Q8 = 0;
#define MAX_VEC VECS
#define MAX_DIMS (8u * VECS)
const float NO_SCORE = -3.0e38; // finite, so an empty split's weight exp(m − M) is 0, not NaN

void unpack8(uvec4 w, out float d[8]) {
    const vec2 a = unpackHalf2x16(w.x), b = unpackHalf2x16(w.y), c = unpackHalf2x16(w.z), e = unpackHalf2x16(w.w);
    d[0] = a.x, d[1] = a.y, d[2] = b.x, d[3] = b.y, d[4] = c.x, d[5] = c.y, d[6] = e.x, d[7] = e.y;
}

// 8 dims of the key (keys: true) or value cache from the 8-dim piece `piece` (element 8 · piece).
void load8(bool keys, uint piece, out float d[8]) {
    if (KV_Q8 != 0u) {
        const uvec2 w = keys ? kCache2[piece] : vCache2[piece];
        const float scale = keys ? kScale[p.scaleBase + (piece >> 2)] : vScale[p.scaleBase + (piece >> 2)];
        const vec4 a = unpackInt8x4(w.x) * scale, b = unpackInt8x4(w.y) * scale;
        d[0] = a.x, d[1] = a.y, d[2] = a.z, d[3] = a.w, d[4] = b.x, d[5] = b.y, d[6] = b.z, d[7] = b.w;
    } else {
        unpack8(keys ? kCache4[piece] : vCache4[piece], d);
    }
}

void main() {
    const uint lane = gl_SubgroupInvocationID, lanes = gl_SubgroupSize;
    const uint split = gl_WorkGroupID.y, token = gl_WorkGroupID.z;
    const uint group = p.nHead / p.nHeadKv, parts = (group + MAX_GROUP - 1u) / MAX_GROUP;
    const uint kvHead = gl_WorkGroupID.x / parts;
    const uint firstHead = kvHead * group + (gl_WorkGroupID.x % parts) * MAX_GROUP;
    const uint heads = min(MAX_GROUP, kvHead * group + group - firstHead);
    const uint dim0 = lane * MAX_DIMS; // this lane's first dim
    const uint kvDim = p.nHeadKv * p.headDim;
    // splits (gl_NumWorkGroups.y) cover the last token's positions; earlier tokens' last ones may be empty
    const uint splitSize = (pos0 + gl_NumWorkGroups.z + gl_NumWorkGroups.y - 1u) / gl_NumWorkGroups.y;
    const uint begin = split * splitSize;
    const uint end = min(begin + splitSize, pos0 + 1u + token);

    // this lane's dims of every head's query, the softmax scale folded in
    float qv[MAX_GROUP * MAX_DIMS];
    const uint queryBase = (token * p.nHead + firstHead) * p.headDim + dim0;
    [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g)
        [[unroll]] for (uint k = 0u; k < MAX_DIMS; ++k)
            qv[g * MAX_DIMS + k] = g < heads ? p.scale * q[queryBase + g * p.headDim + k] : 0.0;

    float m[MAX_GROUP], l[MAX_GROUP], o[MAX_GROUP * MAX_DIMS];
    [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) {
        m[g] = NO_SCORE;
        l[g] = 0.0;
    }
    [[unroll]] for (uint j = 0u; j < MAX_GROUP * MAX_DIMS; ++j) o[j] = 0.0;

    for (uint tile = begin; tile < end; tile += lanes) {
        const uint count = min(lanes, end - tile);
        // scores: lane i keeps those of position tile + i
        float mine[MAX_GROUP];
        [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) mine[g] = NO_SCORE;
        for (uint i = 0u; i < count; ++i) {
            const uint row = ((tile + i) * kvDim + kvHead * p.headDim + dim0) >> 3;
            float k[MAX_DIMS];
            [[unroll]] for (uint v = 0u; v < MAX_VEC; ++v) {
                float d[8];
                load8(true, row + v, d);
                [[unroll]] for (uint e = 0u; e < 8u; ++e) k[8u * v + e] = d[e];
            }
            [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) {
                if (g < heads) {
                    float partial = 0.0;
                    [[unroll]] for (uint j = 0u; j < MAX_DIMS; ++j) partial += qv[g * MAX_DIMS + j] * k[j];
                    const float score = subgroupAdd(partial);
                    if (lane == i) mine[g] = score;
                }
            }
        }
        // online softmax: new max, rescale what was accumulated, this tile's weights
        float weight[MAX_GROUP];
        [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) {
            const float newMax = max(m[g], subgroupMax(mine[g]));
            const float correction = exp(m[g] - newMax);
            m[g] = newMax;
            weight[g] = lane < count ? exp(mine[g] - newMax) : 0.0;
            l[g] = l[g] * correction + subgroupAdd(weight[g]);
            [[unroll]] for (uint j = 0u; j < MAX_DIMS; ++j) o[g * MAX_DIMS + j] *= correction;
        }
        // output: every lane its dims of every head, over the tile's positions
        for (uint i = 0u; i < count; ++i) {
            const uint row = ((tile + i) * kvDim + kvHead * p.headDim + dim0) >> 3;
            float v[MAX_DIMS];
            [[unroll]] for (uint c = 0u; c < MAX_VEC; ++c) {
                float d[8];
                load8(false, row + c, d);
                [[unroll]] for (uint e = 0u; e < 8u; ++e) v[8u * c + e] = d[e];
            }
            [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) {
                const float w = subgroupShuffle(weight[g], i);
                [[unroll]] for (uint j = 0u; j < MAX_DIMS; ++j) o[g * MAX_DIMS + j] += w * v[j];
            }
        }
    }

    [[unroll]] for (uint g = 0u; g < MAX_GROUP; ++g) {
        if (g >= heads) continue;
        const uint outBase = ((token * p.nHead + firstHead + g) * gl_NumWorkGroups.y + split) * (2u + p.headDim);
        if (lane == 0u) {
            partials[outBase] = m[g];
            partials[outBase + 1u] = l[g];
        }
        [[unroll]] for (uint j = 0u; j < MAX_DIMS; ++j) partials[outBase + 2u + dim0 + j] = o[g * MAX_DIMS + j];
    }
}
