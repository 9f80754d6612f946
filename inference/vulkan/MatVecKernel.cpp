#include "inference/vulkan/Kernels.h"

#include <cctype>
#include <string>

namespace lucent::vk {
namespace {

/// "matvec_q4_k" for ("matvec", Q4_K): one compiled variant per weight type.
std::string variant(const char* kernel, TensorType type) {
    std::string name = std::string(kernel) + "_";
    for (char c : tensorTypeName(type)) name += char(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

} // namespace

void recordMatVec(ComputeBatch& batch, const DeviceTensor& w, const BufferRange& x, const BufferRange& y, uint32_t nTokens) {
    const std::string shader = variant("matvec", w.type);
    for (const TensorSlice& slice : w.slices) {
        // Slices write disjoint parts of y, but through one binding of all of y, which
        // synchronization validation (rightly, as it cannot see indices) calls a write-after-write.
        if (&slice != &w.slices.front()) batch.barrier();
        struct {
            uint32_t cols, rows, rowStride, yOffset, xStride, yStride;
        } push{uint32_t(w.cols), uint32_t(slice.rowCount), uint32_t(rowBytes(w.type, w.cols)), uint32_t(slice.firstRow),
               uint32_t(w.cols), uint32_t(w.rows)};
        const auto [gx, gy] = batch.groups1D(slice.rowCount);
        batch.dispatch(shader, {kKernelWorkgroup}, {slice.range, x, y}, &push, sizeof push, gx, gy, nTokens);
    }
}

void recordEmbed(ComputeBatch& batch, const DeviceTensor& table, const BufferRange& tokenIds, uint32_t nTokens, const BufferRange& out) {
    const std::string shader = variant("embed", table.type);
    const uint32_t units = uint32_t((table.cols + 31) / 32);
    for (const TensorSlice& slice : table.slices) {
        if (&slice != &table.slices.front()) batch.barrier(); // as in recordMatVec
        struct {
            uint32_t cols, rowStride, firstRow, rowCount, outStride;
        } push{uint32_t(table.cols), uint32_t(rowBytes(table.type, table.cols)), uint32_t(slice.firstRow), uint32_t(slice.rowCount),
               uint32_t(table.cols)};
        batch.dispatch(shader, {kKernelWorkgroup}, {slice.range, tokenIds, out}, &push, sizeof push,
                       (units + kKernelWorkgroup - 1) / kKernelWorkgroup, nTokens);
    }
}

} // namespace lucent::vk
