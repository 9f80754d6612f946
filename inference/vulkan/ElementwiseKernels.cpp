#include "inference/vulkan/Kernels.h"

namespace lucent::vk {

void recordAdd(ComputeBatch& batch, const BufferRange& y, const BufferRange& x, uint32_t n, uint32_t period) {
    const uint32_t push[] = {n, period ? period : n};
    const auto [gx, gy] = batch.groups1D((uint64_t(n) + kKernelWorkgroup - 1) / kKernelWorkgroup);
    batch.dispatch("add", {kKernelWorkgroup}, {y, x}, push, sizeof push, gx, gy);
}

void recordSwiglu(ComputeBatch& batch, const BufferRange& gate, const BufferRange& up, uint32_t n) {
    const uint32_t push[] = {n};
    const auto [gx, gy] = batch.groups1D((uint64_t(n) + kKernelWorkgroup - 1) / kKernelWorkgroup);
    batch.dispatch("swiglu", {kKernelWorkgroup}, {gate, up}, push, sizeof push, gx, gy);
}

void recordRmsNorm(ComputeBatch& batch, const BufferRange& x, const BufferRange& weight, const BufferRange& out, uint32_t n,
                   uint32_t rows, float eps) {
    struct {
        uint32_t n, stride;
        float eps;
    } push{n, n, eps};
    batch.dispatch("rmsnorm", {kKernelWorkgroup}, {x, weight, out}, &push, sizeof push, rows);
}

} // namespace lucent::vk
