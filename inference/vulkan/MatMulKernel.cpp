#include "inference/vulkan/Kernels.h"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <string>

namespace lucent::vk {
namespace {

// The tile shaders/matmul.comp computes per workgroup.
constexpr uint32_t kTileRows = 64;
constexpr uint32_t kTileTokens = 32;

} // namespace

void recordMatMul(ComputeBatch& batch, const DeviceTensor& w, const BufferRange& x, const BufferRange& y, uint32_t nTokens,
                  const BufferRange* quantizedX) {
    const bool integerDot = quantizedX && integerDotAvailable(batch.context().info(), w.type);
    std::string shader = integerDot ? "matmul_dot_" : "matmul_";
    for (char c : tensorTypeName(w.type)) shader += char(std::tolower(static_cast<unsigned char>(c)));
    for (const TensorSlice& slice : w.slices) {
        if (&slice != &w.slices.front()) batch.barrier(); // one binding of all of y, as in recordMatVec
        struct {
            uint32_t cols, rows, rowStride, yOffset, xStride, yStride, nTokens;
        } push{uint32_t(w.cols), uint32_t(slice.rowCount), uint32_t(rowBytes(w.type, w.cols)), uint32_t(slice.firstRow),
               integerDot ? uint32_t(w.cols / 32) : uint32_t(w.cols), uint32_t(w.rows), nTokens};
        const uint32_t rowTiles = uint32_t((slice.rowCount + kTileRows - 1) / kTileRows);
        batch.dispatch(shader, {}, {slice.range, integerDot ? *quantizedX : x, y}, &push, sizeof push, rowTiles,
                       (nTokens + kTileTokens - 1) / kTileTokens);
    }
}

bool integerDotAvailable(const DeviceInfo& device, TensorType type) {
    switch (type) {
    case TensorType::Q4_0:
    case TensorType::Q8_0:
    case TensorType::Q4_K:
    case TensorType::Q5_K:
    case TensorType::Q6_K: return device.caps.integerDotProduct;
    default: return false;
    }
}

bool matMulUsesIntegerDot(const DeviceInfo& device, TensorType type) {
    if (!integerDotAvailable(device, type)) return false;
    if (const char* forced = std::getenv("LUCENT_VK_INTEGER_DOT")) return std::strcmp(forced, "0") != 0;
    return device.caps.integerDotProduct4x8Accelerated;
}

void recordQuantizeActivations(ComputeBatch& batch, const BufferRange& x, const BufferRange& xq, uint32_t cols, uint32_t nTokens) {
    const uint32_t push[] = {cols / 32, nTokens, cols};
    const auto [gx, gy] = batch.groups1D((uint64_t(cols / 32) * nTokens + kKernelWorkgroup - 1) / kKernelWorkgroup);
    batch.dispatch("quantize_q8", {kKernelWorkgroup}, {x, xq}, push, sizeof push, gx, gy);
}

} // namespace lucent::vk
