#include "inference/vulkan/Kernels.h"

#include "inference/vulkan/VulkanContext.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstdio>
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

MatVecShape matVecShape(const DeviceInfo& device) {
    MatVecShape shape;
    if (device.kind == DeviceKind::Cpu) {
        // lavapipe runs a workgroup as SIMD vectors of subgroupSize lanes, one after another: one
        // vector per workgroup needs no barrier, and 8 rows per x load amortise the (gathered) loads
        shape.workgroup = std::max<uint32_t>(device.caps.subgroupSize, 4);
        shape.rows = 8;
        shape.texels = true;
    } else {
        shape.workgroup = 64;
        shape.rows = 2;
    }
    // for tuning experiments: LUCENT_VK_MATVEC="workgroup,rows"
    if (const char* forced = std::getenv("LUCENT_VK_MATVEC")) {
        unsigned wg = 0, rows = 0;
        if (std::sscanf(forced, "%u,%u", &wg, &rows) == 2 && wg && (wg & (wg - 1)) == 0 && wg <= 1024 && rows && rows <= 16)
            shape = {wg, rows};
    }
    shape.subgroups = device.caps.subgroupArithmetic;
    return shape;
}

void recordMatVec(ComputeBatch& batch, const DeviceTensor& w, const BufferRange& x, const BufferRange& y, uint32_t nTokens) {
    // Q4_0 and Q8_0 are read two blocks at a time (4-aligned runs): rows of an odd number of
    // blocks take the tiled kernel, which reads any layout
    if ((w.type == TensorType::Q4_0 || w.type == TensorType::Q8_0) && (w.cols / 32) % 2 != 0) return recordMatMul(batch, w, x, y, nTokens);
    const MatVecShape shape = matVecShape(batch.context().info());
    // texel views need 16-byte ranges within the device's element limit, and whole 32-weight blocks
    const uint64_t maxTexelBytes = batch.context().info().caps.maxTexelBufferElements * 16;
    bool texels = shape.texels && w.type != TensorType::F32 && w.type != TensorType::F16 && w.type != TensorType::BF16 && x.offset % 16 == 0 && x.bytes % 16 == 0 && x.bytes <= maxTexelBytes;
    for (const TensorSlice& slice : w.slices) texels = texels && slice.range.bytes % 16 == 0 && slice.range.bytes <= maxTexelBytes;
    const std::string shader = variant("matvec", w.type) + (texels ? "_tx" : "") + (shape.subgroups ? "_sg" : "");
    for (const TensorSlice& slice : w.slices) {
        // Slices write disjoint parts of y, but through one binding of all of y, which
        // synchronization validation (rightly, as it cannot see indices) calls a write-after-write.
        if (&slice != &w.slices.front()) batch.barrier();
        struct {
            uint32_t cols, rows, rowStride, yOffset, xStride, yStride;
        } push{uint32_t(w.cols), uint32_t(slice.rowCount), uint32_t(rowBytes(w.type, w.cols)), uint32_t(slice.firstRow),
               uint32_t(w.cols), uint32_t(w.rows)};
        const auto [gx, gy] = batch.groups1D((slice.rowCount + shape.rows - 1) / shape.rows);
        batch.dispatch(shader, {shape.workgroup, shape.rows}, {texels ? asTexels(slice.range) : slice.range, texels ? asTexels(x) : x, y}, &push,
                       sizeof push, gx, gy, nTokens);
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
