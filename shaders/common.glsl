// Shared by every Lucent compute shader: the workgroup size as specialization constant 0 and
// shared-memory reductions over the workgroup (no subgroup operations, so any Vulkan 1.2 device
// runs them). WG must be a power of two.
layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WG = 64;

shared float reduceScratch[WG];

// Σ v over the workgroup; every invocation must call it (it contains barriers).
float workgroupSum(float v) {
    const uint tid = gl_LocalInvocationID.x;
    reduceScratch[tid] = v;
    barrier();
    for (uint stride = WG / 2u; stride > 0u; stride >>= 1u) {
        if (tid < stride) reduceScratch[tid] += reduceScratch[tid + stride];
        barrier();
    }
    const float total = reduceScratch[0];
    barrier(); // the scratch is reused by the next call
    return total;
}

// max v over the workgroup; same rules as workgroupSum.
float workgroupMax(float v) {
    const uint tid = gl_LocalInvocationID.x;
    reduceScratch[tid] = v;
    barrier();
    for (uint stride = WG / 2u; stride > 0u; stride >>= 1u) {
        if (tid < stride) reduceScratch[tid] = max(reduceScratch[tid], reduceScratch[tid + stride]);
        barrier();
    }
    const float result = reduceScratch[0];
    barrier();
    return result;
}

// The workgroup's linear index in a grid folded into x and y (x is limited to 65535 groups).
uint linearGroup() { return gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x; }

// The four signed bytes of a word, lowest first, as floats: 8-bit KV cache entries read without
// 8-bit storage (not every device has it).
vec4 unpackInt8x4(uint w) {
    const int s = int(w);
    return vec4(bitfieldExtract(s, 0, 8), bitfieldExtract(s, 8, 8), bitfieldExtract(s, 16, 8), bitfieldExtract(s, 24, 8));
}
