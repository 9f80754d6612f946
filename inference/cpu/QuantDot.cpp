#include "inference/cpu/QuantDot.h"

#include "inference/cpu/CpuFeatures.h"
#include "inference/cpu/DotProduct.h"
#include "inference/cpu/QuantizedActivations.h"
#include "inference/quant/BlockFormats.h"

#include <cstring>

namespace lucent {
namespace {

float half(uint16_t bits) { return halfBitsToFloat(bits); }

// The 5th bit of weight j of a Q5_0/Q5_1 block.
int highBit(const uint8_t* qh, int j) {
    uint32_t bits;
    std::memcpy(&bits, qh, 4);
    return int((bits >> j) & 1) << 4;
}

// Legacy 32-weight types: Σ_j w_j·x_j = d_w·d_x·Σ q_w·q_x (+ zero point or minimum terms).
float dotQ4_0(const BlockQ4_0* w, const ActivationBlock32* x, size_t blocks) {
    float sum = 0.0f;
    for (size_t b = 0; b < blocks; ++b) {
        int sumi = 0;
        for (int j = 0; j < 16; ++j) sumi += ((w[b].qs[j] & 15) - 8) * x[b].qs[j] + ((w[b].qs[j] >> 4) - 8) * x[b].qs[j + 16];
        sum += half(w[b].d) * x[b].d * float(sumi);
    }
    return sum;
}

float dotQ4_1(const BlockQ4_1* w, const ActivationBlock32* x, size_t blocks) {
    float sum = 0.0f;
    for (size_t b = 0; b < blocks; ++b) {
        int sumi = 0;
        for (int j = 0; j < 16; ++j) sumi += (w[b].qs[j] & 15) * x[b].qs[j] + (w[b].qs[j] >> 4) * x[b].qs[j + 16];
        sum += half(w[b].d) * x[b].d * float(sumi) + half(w[b].m) * x[b].sumScaled;
    }
    return sum;
}

float dotQ5_0(const BlockQ5_0* w, const ActivationBlock32* x, size_t blocks) {
    float sum = 0.0f;
    for (size_t b = 0; b < blocks; ++b) {
        int sumi = 0;
        for (int j = 0; j < 16; ++j)
            sumi += (((w[b].qs[j] & 15) | highBit(w[b].qh, j)) - 16) * x[b].qs[j] +
                    (((w[b].qs[j] >> 4) | highBit(w[b].qh, j + 16)) - 16) * x[b].qs[j + 16];
        sum += half(w[b].d) * x[b].d * float(sumi);
    }
    return sum;
}

float dotQ5_1(const BlockQ5_1* w, const ActivationBlock32* x, size_t blocks) {
    float sum = 0.0f;
    for (size_t b = 0; b < blocks; ++b) {
        int sumi = 0;
        for (int j = 0; j < 16; ++j)
            sumi += ((w[b].qs[j] & 15) | highBit(w[b].qh, j)) * x[b].qs[j] + ((w[b].qs[j] >> 4) | highBit(w[b].qh, j + 16)) * x[b].qs[j + 16];
        sum += half(w[b].d) * x[b].d * float(sumi) + half(w[b].m) * x[b].sumScaled;
    }
    return sum;
}

float dotQ8_0(const BlockQ8_0* w, const ActivationBlock32* x, size_t blocks) {
    float sum = 0.0f;
    for (size_t b = 0; b < blocks; ++b) {
        int sumi = 0;
        for (int j = 0; j < 32; ++j) sumi += w[b].qs[j] * x[b].qs[j];
        sum += half(w[b].d) * x[b].d * float(sumi);
    }
    return sum;
}

// K-quants: Σ = d·d_x·Σ_sub sc·Σ q·q_x − dmin·d_x·Σ_sub m·Σ q_x (minimums via the 16-sums).
float dotQ4_K(const BlockQ4_K* w, const ActivationBlock256* x, size_t blocks) {
    float sum = 0.0f;
    for (size_t b = 0; b < blocks; ++b) {
        int scaled = 0, mins = 0;
        for (int c = 0; c < 4; ++c) {
            uint8_t sc[2], m[2];
            kQuantScaleMin(w[b].scales, 2 * c, sc[0], m[0]);
            kQuantScaleMin(w[b].scales, 2 * c + 1, sc[1], m[1]);
            int lo = 0, hi = 0;
            for (int l = 0; l < 32; ++l) {
                lo += (w[b].qs[32 * c + l] & 15) * x[b].qs[64 * c + l];
                hi += (w[b].qs[32 * c + l] >> 4) * x[b].qs[64 * c + 32 + l];
            }
            scaled += sc[0] * lo + sc[1] * hi;
            mins += m[0] * (x[b].bsums[4 * c] + x[b].bsums[4 * c + 1]) + m[1] * (x[b].bsums[4 * c + 2] + x[b].bsums[4 * c + 3]);
        }
        sum += half(w[b].d) * x[b].d * float(scaled) - half(w[b].dmin) * x[b].d * float(mins);
    }
    return sum;
}

float dotQ5_K(const BlockQ5_K* w, const ActivationBlock256* x, size_t blocks) {
    float sum = 0.0f;
    for (size_t b = 0; b < blocks; ++b) {
        int scaled = 0, mins = 0;
        for (int c = 0; c < 4; ++c) {
            uint8_t sc[2], m[2];
            kQuantScaleMin(w[b].scales, 2 * c, sc[0], m[0]);
            kQuantScaleMin(w[b].scales, 2 * c + 1, sc[1], m[1]);
            int lo = 0, hi = 0;
            for (int l = 0; l < 32; ++l) {
                const int qlo = (w[b].qs[32 * c + l] & 15) | (((w[b].qh[l] >> (2 * c)) & 1) << 4);
                const int qhi = (w[b].qs[32 * c + l] >> 4) | (((w[b].qh[l] >> (2 * c + 1)) & 1) << 4);
                lo += qlo * x[b].qs[64 * c + l];
                hi += qhi * x[b].qs[64 * c + 32 + l];
            }
            scaled += sc[0] * lo + sc[1] * hi;
            mins += m[0] * (x[b].bsums[4 * c] + x[b].bsums[4 * c + 1]) + m[1] * (x[b].bsums[4 * c + 2] + x[b].bsums[4 * c + 3]);
        }
        sum += half(w[b].d) * x[b].d * float(scaled) - half(w[b].dmin) * x[b].d * float(mins);
    }
    return sum;
}

float dotQ6_K(const BlockQ6_K* w, const ActivationBlock256* x, size_t blocks) {
    float sum = 0.0f;
    for (size_t b = 0; b < blocks; ++b) {
        int scaled = 0;
        for (int h = 0; h < 2; ++h) {
            const uint8_t* L = w[b].ql + 64 * h;
            const uint8_t* H = w[b].qh + 32 * h;
            const int8_t* q8 = x[b].qs + 128 * h;
            for (int g = 0; g < 2; ++g) {
                int run[4] = {};
                for (int l = 16 * g; l < 16 * g + 16; ++l) {
                    run[0] += (int((L[l] & 15) | ((H[l] & 3) << 4)) - 32) * q8[l];
                    run[1] += (int((L[l + 32] & 15) | (((H[l] >> 2) & 3) << 4)) - 32) * q8[l + 32];
                    run[2] += (int((L[l] >> 4) | (((H[l] >> 4) & 3) << 4)) - 32) * q8[l + 64];
                    run[3] += (int((L[l + 32] >> 4) | (((H[l] >> 6) & 3) << 4)) - 32) * q8[l + 96];
                }
                for (int r = 0; r < 4; ++r) scaled += w[b].scales[8 * h + 2 * r + g] * run[r];
            }
        }
        sum += half(w[b].d) * x[b].d * float(scaled);
    }
    return sum;
}

template <typename Block, typename Activation, typename Dot>
void rowsOf(const uint8_t* rows, size_t stride, size_t blocks, const uint8_t* x, size_t xStride, size_t nTokens, float* y, size_t yStride,
            size_t count, Dot dot) {
    for (size_t r = 0; r < count; ++r)
        for (size_t t = 0; t < nTokens; ++t)
            y[t * yStride + r] = dot(reinterpret_cast<const Block*>(rows + r * stride), reinterpret_cast<const Activation*>(x + t * xStride), blocks);
}

// asked once: quantDotRows runs per tile of rows
const bool kHasAvx2 = cpuHasAvx2();
const bool kHasAvxVnni = cpuHasAvxVnni();
const bool kHasAvx512 = cpuHasAvx512Vnni();

} // namespace

void quantDotRowsPortable(TensorType type, const uint8_t* rows, size_t stride, size_t n, const uint8_t* x, size_t xStride, size_t nTokens,
                          float* y, size_t yStride, size_t count) {
    switch (type) {
    case TensorType::Q4_0: return rowsOf<BlockQ4_0, ActivationBlock32>(rows, stride, n / 32, x, xStride, nTokens, y, yStride, count, dotQ4_0);
    case TensorType::Q4_1: return rowsOf<BlockQ4_1, ActivationBlock32>(rows, stride, n / 32, x, xStride, nTokens, y, yStride, count, dotQ4_1);
    case TensorType::Q5_0: return rowsOf<BlockQ5_0, ActivationBlock32>(rows, stride, n / 32, x, xStride, nTokens, y, yStride, count, dotQ5_0);
    case TensorType::Q5_1: return rowsOf<BlockQ5_1, ActivationBlock32>(rows, stride, n / 32, x, xStride, nTokens, y, yStride, count, dotQ5_1);
    case TensorType::Q8_0: return rowsOf<BlockQ8_0, ActivationBlock32>(rows, stride, n / 32, x, xStride, nTokens, y, yStride, count, dotQ8_0);
    case TensorType::Q4_K: return rowsOf<BlockQ4_K, ActivationBlock256>(rows, stride, n / 256, x, xStride, nTokens, y, yStride, count, dotQ4_K);
    case TensorType::Q5_K: return rowsOf<BlockQ5_K, ActivationBlock256>(rows, stride, n / 256, x, xStride, nTokens, y, yStride, count, dotQ5_K);
    case TensorType::Q6_K: return rowsOf<BlockQ6_K, ActivationBlock256>(rows, stride, n / 256, x, xStride, nTokens, y, yStride, count, dotQ6_K);
    case TensorType::F32:
    case TensorType::F16:
    case TensorType::BF16: break; // float types never come here (usesQuantizedActivations)
    }
}

bool quantDotUsesAvx2() { return kHasAvx2; }

void quantDotRows(TensorType type, const uint8_t* rows, size_t stride, size_t n, const uint8_t* x, size_t xStride, size_t nTokens, float* y,
                  size_t yStride, size_t count) {
    if (kHasAvx512 && detail::quantDotRowsAvx512(type, rows, stride, n, x, xStride, nTokens, y, yStride, count)) return;
    if (kHasAvxVnni && detail::quantDotRowsAvxVnni(type, rows, stride, n, x, xStride, nTokens, y, yStride, count)) return;
    if (kHasAvx2 && detail::quantDotRowsAvx2(type, rows, stride, n, x, xStride, nTokens, y, yStride, count)) return;
    quantDotRowsPortable(type, rows, stride, n, x, xStride, nTokens, y, yStride, count);
}

} // namespace lucent
