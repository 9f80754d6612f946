#include "inference/cpu/MatMul.h"

#include "inference/cpu/DotProduct.h"
#include "inference/cpu/ThreadPool.h"
#include "inference/quant/Dequantize.h"

#include <algorithm>

namespace lucent {
namespace {
// Weight rows decoded at once: 8 rows of even 18,944 floats stay inside a core's L2.
constexpr size_t kTileRows = 8;
// Below this many tokens the raw-block dot beats decoding the rows first.
constexpr size_t kMinTokensForTiles = 4;
} // namespace

void matVec(const WeightView& w, const float* x, float* y, ThreadPool& pool) {
    const size_t stride = rowBytes(w.type, w.cols);
    pool.parallelFor(w.rows, [&](size_t begin, size_t end) {
        dotRows(w.type, w.data + begin * stride, stride, w.cols, x, y + begin, end - begin);
    });
}

size_t matMulScratchFloats(size_t cols) { return kTileRows * cols; }

void matMul(const WeightView& w, const float* x, size_t nTokens, float* y, ThreadPool& pool, float* scratch) {
    const size_t stride = rowBytes(w.type, w.cols);
    if (nTokens < kMinTokensForTiles) {
        pool.parallelFor(w.rows, [&](size_t begin, size_t end) {
            for (size_t t = 0; t < nTokens; ++t)
                dotRows(w.type, w.data + begin * stride, stride, w.cols, x + t * w.cols, y + t * w.rows + begin, end - begin);
        });
        return;
    }
    pool.run([&](unsigned thread, unsigned threads) {
        float* tile = scratch + thread * matMulScratchFloats(w.cols);
        const size_t begin = w.rows * thread / threads, end = w.rows * (thread + 1) / threads;
        for (size_t r0 = begin; r0 < end; r0 += kTileRows) {
            const size_t count = std::min(kTileRows, end - r0);
            const float* rows = tile;
            if (w.type == TensorType::F32) rows = w.f32() + r0 * w.cols;
            else
                for (size_t r = 0; r < count; ++r) dequantizeRow(w.type, w.data + (r0 + r) * stride, tile + r * w.cols, w.cols);
            for (size_t t = 0; t < nTokens; ++t)
                dotRows(TensorType::F32, reinterpret_cast<const uint8_t*>(rows), w.cols * sizeof(float), w.cols, x + t * w.cols,
                        y + t * w.rows + r0, count);
        }
    });
}

} // namespace lucent
