#include "inference/vulkan/Kernels.h"

#include <cctype>
#include <string>

namespace lucent::vk {
namespace {

// The tile shaders/matmul.comp computes per workgroup.
constexpr uint32_t kTileRows = 64;
constexpr uint32_t kTileTokens = 32;

} // namespace

void recordMatMul(ComputeBatch& batch, const DeviceTensor& w, const BufferRange& x, const BufferRange& y, uint32_t nTokens) {
    std::string shader = "matmul_";
    for (char c : tensorTypeName(w.type)) shader += char(std::tolower(static_cast<unsigned char>(c)));
    for (const TensorSlice& slice : w.slices) {
        if (&slice != &w.slices.front()) batch.barrier(); // one binding of all of y, as in recordMatVec
        struct {
            uint32_t cols, rows, rowStride, yOffset, xStride, yStride, nTokens;
        } push{uint32_t(w.cols), uint32_t(slice.rowCount), uint32_t(rowBytes(w.type, w.cols)), uint32_t(slice.firstRow),
               uint32_t(w.cols),  uint32_t(w.rows),          nTokens};
        const uint32_t rowTiles = uint32_t((slice.rowCount + kTileRows - 1) / kTileRows);
        batch.dispatch(shader, {}, {slice.range, x, y}, &push, sizeof push, rowTiles, (nTokens + kTileTokens - 1) / kTileTokens);
    }
}

} // namespace lucent::vk
