#version 450
// Memory bandwidth probe: every invocation reads `perInvocation` uvec4s of a buffer (adjacent
// invocations adjacent words, so reads coalesce) and XORs them; one word per workgroup is written
// so nothing is optimised away. Device time ÷ bytes = the read bandwidth the kernels can reach.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

#ifdef TEXEL_LOADS
layout(binding = 0) uniform usamplerBuffer sourceTexels;
uvec4 source(uint i) { return texelFetch(sourceTexels, int(i)); }
#else
layout(std430, binding = 0) readonly buffer Source { uvec4 src[]; };
uvec4 source(uint i) { return src[i]; }
#endif
layout(std430, binding = 1) writeonly buffer Sink { uint sink[]; };
layout(push_constant) uniform Params {
    uint words;         // uvec4s in the buffer
    uint perInvocation; // uvec4s each invocation reads
} p;

shared uint folded[WG];

void main() {
    const uint group = linearGroup();
    const uint tid = gl_LocalInvocationID.x;
    uvec4 acc = uvec4(0u);
    const uint base = group * WG * p.perInvocation + tid;
    for (uint i = 0u; i < p.perInvocation; ++i) {
        const uint index = base + i * WG;
        if (index < p.words) acc ^= source(index);
    }
    folded[tid] = acc.x ^ acc.y ^ acc.z ^ acc.w;
    barrier();
    if (tid == 0u) {
        uint all = 0u;
        for (uint i = 0u; i < WG; ++i) all ^= folded[i];
        sink[group] = all;
    }
}
