#include "inference/vulkan/Kernels.h"

#include "inference/vulkan/VulkanContext.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

bool choosesCpuKernels(const DeviceInfo& device) {
    if (device.kind != DeviceKind::Cpu) return false;
    const char* forced = std::getenv("LUCENT_VK_KERNELS");
    return !forced || std::strcmp(forced, "gpu") != 0;
}

bool usesSubgroupArithmetic(const DeviceInfo& device) {
    if (!device.caps.subgroupArithmetic) return false;
    const char* forced = std::getenv("LUCENT_VK_SUBGROUPS");
    return !forced || std::strcmp(forced, "0") != 0;
}

MatVecShape matVecShape(const DeviceInfo& device) {
    MatVecShape shape;
    if (choosesCpuKernels(device)) {
        // lavapipe runs a workgroup as SIMD vectors of subgroupSize lanes, one after another: one
        // vector per workgroup needs no barrier, and 8 rows per x load amortise the (gathered) loads
        shape.workgroup = std::max<uint32_t>(device.caps.subgroupSize, 4);
        shape.rows = 8;
        shape.texels = true;
        // prompts too: the tiled mat-mul's shared-memory tiles are slow on a CPU, whose caches
        // already keep a row's weights for the next tokens
        shape.batchTokens = 8;
    } else {
        // one subgroup (32 on NVIDIA) per 4 rows: measured best on an H100 (tests/bench/RESULTS.md)
        shape.workgroup = std::max<uint32_t>(device.caps.subgroupSize, 32);
        shape.rows = 4;
    }
    // for tuning experiments: LUCENT_VK_MATVEC="workgroup,rows[,batchTokens]"
    if (const char* forced = std::getenv("LUCENT_VK_MATVEC")) {
        unsigned wg = 0, rows = 0, tokens = shape.batchTokens;
        if (std::sscanf(forced, "%u,%u,%u", &wg, &rows, &tokens) >= 2 && wg && (wg & (wg - 1)) == 0 && wg <= 1024 && rows && rows <= 16 &&
            tokens <= 16) {
            shape.workgroup = wg;
            shape.rows = rows;
            shape.batchTokens = tokens;
        }
    }
    shape.subgroups = usesSubgroupArithmetic(device);
    return shape;
}

bool matVecFuses(const DeviceTensor& w) {
    // Q4_0 and Q8_0 are read two blocks at a time (4-aligned runs): rows of an odd number of
    // blocks take the tiled kernel, which reads any layout but has no epilogue
    return !((w.type == TensorType::Q4_0 || w.type == TensorType::Q8_0) && (w.cols / 32) % 2 != 0);
}

namespace {

bool isFloat(TensorType type) { return type == TensorType::F32 || type == TensorType::F16 || type == TensorType::BF16; }

/// Whether the texel variant can run: the device wants it, quantized weights, and 16-byte ranges
/// within the device's texel element limit.
bool useTexels(const ComputeBatch& batch, const MatVecShape& shape, const DeviceTensor& w, const BufferRange& x) {
    const uint64_t maxTexelBytes = batch.context().info().caps.maxTexelBufferElements * 16;
    bool texels = shape.texels && !isFloat(w.type) && x.offset % 16 == 0 && x.bytes % 16 == 0 && x.bytes <= maxTexelBytes;
    for (const TensorSlice& slice : w.slices) texels = texels && slice.range.bytes % 16 == 0 && slice.range.bytes <= maxTexelBytes;
    return texels;
}

struct MatVecPush {
    uint32_t cols, rows, rowStride, yOffset, xStride, yStride, flags, nTokens;
    float eps;
};

/// Tokens per workgroup for a batch of nTokens (shaders/matvec.comp's TOKENS); float weights (rare
/// in big matrices) keep one: their element-wise loads would make the shader huge.
uint32_t tokensPerGroup(const MatVecShape& shape, TensorType type, uint32_t nTokens) {
    return nTokens > 1 && shape.batchTokens > 1 && !isFloat(type) ? std::min(shape.batchTokens, nTokens) : 1;
}
constexpr uint32_t kAccumulate = 1, kBias = 2; // shaders/matvec.comp

} // namespace

void recordMatVec(ComputeBatch& batch, const DeviceTensor& w, const BufferRange& x, const BufferRange& y, uint32_t nTokens,
                  const MatVecEpilogue& epilogue) {
    if (!matVecFuses(w)) {
        assert(!epilogue.bias && !epilogue.accumulate && !epilogue.norm);
        return recordMatMul(batch, w, x, y, nTokens);
    }
    const MatVecShape shape = matVecShape(batch.context().info());
    const bool texels = useTexels(batch, shape, w, x);
    const std::string shader = variant("matvec", w.type) + (texels ? "_tx" : "") + (shape.subgroups ? "_sg" : "");
    const uint32_t flags = (epilogue.accumulate ? kAccumulate : 0) | (epilogue.bias ? kBias : 0);
    const uint32_t tokens = tokensPerGroup(shape, w.type, nTokens);
    for (const TensorSlice& slice : w.slices) {
        // Slices write disjoint parts of y, but through one binding of all of y, which
        // synchronization validation (rightly, as it cannot see indices) calls a write-after-write.
        if (&slice != &w.slices.front()) batch.barrier();
        const MatVecPush push{uint32_t(w.cols), uint32_t(slice.rowCount), uint32_t(rowBytes(w.type, w.cols)), uint32_t(slice.firstRow),
                              uint32_t(w.cols), uint32_t(w.rows), flags, nTokens, epilogue.norm ? epilogue.norm->eps : 0.0f};
        const auto [gx, gy] = batch.groups1D((slice.rowCount + shape.rows - 1) / shape.rows);
        // without a bias, binding 3 repeats y; without a norm, binding 4 repeats x (never read)
        batch.dispatch(shader, {shape.workgroup, shape.rows, tokens, epilogue.norm ? 1u : 0u},
                       {texels ? asTexels(slice.range) : slice.range, texels ? asTexels(x) : x, y, epilogue.bias ? *epilogue.bias : y,
                        epilogue.norm ? epilogue.norm->weight : x},
                       &push, sizeof push, gx, gy, (nTokens + tokens - 1) / tokens);
    }
}

void recordGatedMatVec(ComputeBatch& batch, const DeviceTensor& gate, const DeviceTensor& up, const BufferRange& x, const BufferRange& out,
                       const BufferRange& upScratch, uint32_t nTokens, const FusedRmsNorm* norm) {
    bool paired = gate.type == up.type && gate.cols == up.cols && gate.rows == up.rows && gate.slices.size() == up.slices.size() &&
                  matVecFuses(gate);
    for (size_t i = 0; paired && i < gate.slices.size(); ++i)
        paired = gate.slices[i].firstRow == up.slices[i].firstRow && gate.slices[i].rowCount == up.slices[i].rowCount;
    if (!paired) { // gate and up placed differently: two mat-vecs and SwiGLU
        recordMatVec(batch, gate, x, out, nTokens, {nullptr, false, norm});
        recordMatVec(batch, up, x, upScratch, nTokens, {nullptr, false, norm});
        batch.barrier();
        recordSwiglu(batch, out, upScratch, uint32_t(gate.rows) * nTokens);
        return;
    }
    const MatVecShape shape = matVecShape(batch.context().info());
    const bool texels = useTexels(batch, shape, gate, x) && useTexels(batch, shape, up, x);
    const std::string shader = variant("matvec", gate.type) + "_glu" + (texels ? "_tx" : "") + (shape.subgroups ? "_sg" : "");
    const uint32_t tokens = tokensPerGroup(shape, gate.type, nTokens);
    for (size_t i = 0; i < gate.slices.size(); ++i) {
        const TensorSlice& slice = gate.slices[i];
        if (i > 0) batch.barrier(); // as in recordMatVec
        const MatVecPush push{uint32_t(gate.cols), uint32_t(slice.rowCount), uint32_t(rowBytes(gate.type, gate.cols)), uint32_t(slice.firstRow),
                              uint32_t(gate.cols), uint32_t(gate.rows), 0, nTokens, norm ? norm->eps : 0.0f};
        const auto [gx, gy] = batch.groups1D((slice.rowCount + shape.rows - 1) / shape.rows);
        const BufferRange& upRange = up.slices[i].range;
        batch.dispatch(shader, {shape.workgroup, shape.rows, tokens, norm ? 1u : 0u},
                       {texels ? asTexels(slice.range) : slice.range, texels ? asTexels(x) : x, out, texels ? asTexels(upRange) : upRange,
                        norm ? norm->weight : x},
                       &push, sizeof push, gx, gy, (nTokens + tokens - 1) / tokens);
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
