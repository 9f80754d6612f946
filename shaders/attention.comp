#version 450
// Flash-decoding, first pass: query head h (gl_WorkGroupID.x) of query token t (gl_WorkGroupID.z)
// against the positions of split s (gl_WorkGroupID.y) of the fp16 KV cache, with an online
// softmax over tiles of WG positions. Token t of a batch sees positions [0, kvLen + t) — the
// causal mask of a prompt batch whose keys are all in the cache already. Writes the split's
// running max m, sum l and unnormalized output o to `partials` ([token][head][split][2 + headDim]);
// attention_reduce.comp merges the splits.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer Query { float q[]; };
layout(std430, binding = 1) readonly buffer KeyCache { uint kCache[]; };
layout(std430, binding = 2) readonly buffer ValueCache { uint vCache[]; };
layout(std430, binding = 3) writeonly buffer Partials { float partials[]; };
layout(push_constant) uniform Params {
    uint nHead;
    uint nHeadKv;
    uint headDim;   // ≤ MAX_HEAD_DIM, even
    uint kvLen;     // positions token 0 attends to (token t: kvLen + t)
    uint splitSize; // positions per split
    float scale;    // 1 / sqrt(headDim)
} p;

const uint MAX_HEAD_DIM = 256u;
const uint MAX_DIMS_PER_INVOCATION = 8u; // MAX_HEAD_DIM / smallest WG (32)
const float NO_SCORE = -3.0e38; // finite, so an empty split's weight exp(m − M) is 0, not NaN

shared float queryHead[MAX_HEAD_DIM];
shared float weights[WG];

float cacheHalf(uint index, bool value) {
    const uint word = value ? vCache[index >> 1] : kCache[index >> 1];
    const vec2 pair = unpackHalf2x16(word);
    return (index & 1u) != 0u ? pair.y : pair.x;
}

void main() {
    const uint h = gl_WorkGroupID.x, split = gl_WorkGroupID.y, token = gl_WorkGroupID.z, tid = gl_LocalInvocationID.x;
    const uint kvDim = p.nHeadKv * p.headDim;
    const uint kvHead = h / (p.nHead / p.nHeadKv);
    const uint begin = split * p.splitSize;
    const uint end = min(begin + p.splitSize, p.kvLen + token);
    const uint head = token * p.nHead + h;
    for (uint d = tid; d < p.headDim; d += WG) queryHead[d] = q[head * p.headDim + d];
    barrier();

    float m = NO_SCORE, l = 0.0;
    float o[MAX_DIMS_PER_INVOCATION];
    for (uint j = 0u; j < MAX_DIMS_PER_INVOCATION; ++j) o[j] = 0.0;

    for (uint tile = begin; tile < end; tile += WG) {
        // scores: one position per invocation
        const uint pos = tile + tid;
        float score = NO_SCORE;
        if (pos < end) {
            const uint keyBase = pos * kvDim + kvHead * p.headDim; // even: a whole number of words
            float dot = 0.0;
            for (uint d = 0u; d < p.headDim; d += 2u) {
                const vec2 kk = unpackHalf2x16(kCache[(keyBase + d) >> 1]);
                dot += queryHead[d] * kk.x + queryHead[d + 1u] * kk.y;
            }
            score = p.scale * dot;
        }
        // online softmax: new max, rescale what was accumulated
        const float newMax = max(m, workgroupMax(score));
        const float correction = exp(m - newMax);
        const float weight = pos < end ? exp(score - newMax) : 0.0;
        weights[tid] = weight;
        l = l * correction + workgroupSum(weight); // the sum's barriers also publish weights[]
        m = newMax;
        // output: each invocation owns dims tid, tid + WG, …
        const uint count = min(WG, end - tile);
        for (uint j = 0u, d = tid; d < p.headDim; ++j, d += WG) {
            float acc = o[j] * correction;
            for (uint i = 0u; i < count; ++i) acc += weights[i] * cacheHalf((tile + i) * kvDim + kvHead * p.headDim + d, true);
            o[j] = acc;
        }
        barrier(); // weights[] is rewritten by the next tile
    }

    const uint outBase = (head * gl_NumWorkGroups.y + split) * (2u + p.headDim);
    if (tid == 0u) {
        partials[outBase] = m;
        partials[outBase + 1u] = l;
    }
    for (uint j = 0u, d = tid; d < p.headDim; ++j, d += WG) partials[outBase + 2u + d] = o[j];
}
