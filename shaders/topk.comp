#version 450
// The k largest values of each chunk of CHUNK = WG·ITEMS entries, in descending order (ties: the
// lower index first, as the CPU's sort does), as (value, index) pairs. Run on the logits, then on
// its own output until one chunk remains: k = 1 is argmax.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(constant_id = 1) const uint ITEMS = 4; // entries per invocation

layout(std430, binding = 0) readonly buffer Values { float values[]; };
layout(std430, binding = 1) readonly buffer Indices { uint indices[]; }; // used when hasIndices
layout(std430, binding = 2) writeonly buffer OutValues { float outValues[]; };
layout(std430, binding = 3) writeonly buffer OutIndices { uint outIndices[]; };
layout(push_constant) uniform Params {
    uint n;
    uint k;
    uint hasIndices; // 0: an entry's index is its position
} p;

const float TAKEN = -3.4028235e38;
const uint NONE = 0xFFFFFFFFu;

shared float chunkValues[WG * ITEMS];
shared uint chunkIndices[WG * ITEMS];
shared float bestValue[WG];
shared uint bestIndex[WG];
shared uint bestSlot[WG];

// a beats b: larger value, or the same value at a lower index
bool beats(float va, uint ia, float vb, uint ib) { return va > vb || (va == vb && ia < ib); }

void main() {
    const uint tid = gl_LocalInvocationID.x;
    const uint chunkBase = linearGroup() * WG * ITEMS;
    if (chunkBase >= p.n) return; // a folded grid's spare groups (uniform per workgroup)
    for (uint j = 0u; j < ITEMS; ++j) {
        const uint slot = j * WG + tid, at = chunkBase + slot;
        const bool valid = at < p.n;
        chunkValues[slot] = valid ? values[at] : TAKEN;
        chunkIndices[slot] = valid ? (p.hasIndices != 0u ? indices[at] : at) : NONE;
    }
    barrier();
    for (uint round = 0u; round < p.k; ++round) {
        // each invocation's best, then a tree over the workgroup
        float v = TAKEN;
        uint index = NONE, slot = 0u;
        for (uint j = 0u; j < ITEMS; ++j) {
            const uint s = j * WG + tid;
            if (chunkIndices[s] != NONE && beats(chunkValues[s], chunkIndices[s], v, index)) {
                v = chunkValues[s];
                index = chunkIndices[s];
                slot = s;
            }
        }
        bestValue[tid] = v;
        bestIndex[tid] = index;
        bestSlot[tid] = slot;
        barrier();
        for (uint stride = WG / 2u; stride > 0u; stride >>= 1u) {
            if (tid < stride && bestIndex[tid + stride] != NONE &&
                (bestIndex[tid] == NONE || beats(bestValue[tid + stride], bestIndex[tid + stride], bestValue[tid], bestIndex[tid]))) {
                bestValue[tid] = bestValue[tid + stride];
                bestIndex[tid] = bestIndex[tid + stride];
                bestSlot[tid] = bestSlot[tid + stride];
            }
            barrier();
        }
        if (tid == 0u) {
            outValues[linearGroup() * p.k + round] = bestValue[0];
            outIndices[linearGroup() * p.k + round] = bestIndex[0];
            if (bestIndex[0] != NONE) chunkIndices[bestSlot[0]] = NONE; // taken
        }
        barrier();
    }
}
