#include "inference/cpu/MatMul.h"

#include "inference/cpu/DotProduct.h"
#include "inference/cpu/InterleavedRows.h"
#include "inference/cpu/QuantDot.h"
#include "inference/cpu/QuantizedActivations.h"
#include "inference/cpu/ThreadPool.h"

#include <algorithm>

namespace lucent {
namespace {
// Weight rows handled together against every token of a batch: a tile of even 18,944-wide
// rows stays in a core's L2 while the tokens stream past.
constexpr size_t kTileRows = 8;
} // namespace

size_t matMulActivationBytes(size_t cols, size_t nTokens) {
    return nTokens * std::max(quantizedActivationBytes(TensorType::Q8_0, (cols + 31) / 32 * 32),
                              quantizedActivationBytes(TensorType::Q4_K, (cols + 255) / 256 * 256));
}

void matVec(const WeightView& w, const float* x, float* y, ThreadPool& pool, const MatMulScratch& scratch) {
    matMul(w, x, 1, y, pool, scratch);
}

void matMul(const WeightView& w, const float* x, size_t nTokens, float* y, ThreadPool& pool, const MatMulScratch& scratch) {
    const size_t stride = rowBytes(w.type, w.cols);
    if (usesQuantizedActivations(w.type)) {
        // Round the activations once, then every thread dots its rows against all tokens.
        const size_t xBytes = quantizedActivationBytes(w.type, w.cols);
        auto quantizeTokens = [&](size_t begin, size_t end) {
            for (size_t t = begin; t < end; ++t) quantizeActivations(w.type, x + t * w.cols, w.cols, scratch.activations + t * xBytes);
        };
        if (nTokens < 4) quantizeTokens(0, nTokens); // a few µs: not worth waking the pool
        else pool.parallelFor(nTokens, quantizeTokens);
        if (w.interleavedRows) {
            // Q4_0/Q8_0 repacked at load: whole groups of eight rows per thread.
            const size_t groupBytes = kInterleavedRows * stride;
            pool.parallelFor(w.rows / kInterleavedRows, [&](size_t begin, size_t end) {
                quantDotInterleaved(w.type, w.data + begin * groupBytes, w.cols, scratch.activations, xBytes, nTokens, y + begin * kInterleavedRows,
                                        w.rows, end - begin);
            });
            return;
        }
        pool.parallelFor(w.rows, [&](size_t begin, size_t end) {
            for (size_t r0 = begin; r0 < end; r0 += kTileRows)
                quantDotRows(w.type, w.data + r0 * stride, stride, w.cols, scratch.activations, xBytes, nTokens, y + r0, w.rows,
                             std::min(kTileRows, end - r0));
        });
        return;
    }
    // F32/F16/BF16: the raw rows against fp32 activations (the same code for one token or many).
    pool.parallelFor(w.rows, [&](size_t begin, size_t end) {
        for (size_t r0 = begin; r0 < end; r0 += kTileRows) {
            const size_t count = std::min(kTileRows, end - r0);
            for (size_t t = 0; t < nTokens; ++t)
                dotRows(w.type, w.data + r0 * stride, stride, w.cols, x + t * w.cols, y + t * w.rows + r0, count);
        }
    });
}

} // namespace lucent
