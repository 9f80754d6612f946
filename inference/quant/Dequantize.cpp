#include "inference/quant/Dequantize.h"

#include "inference/quant/BlockFormats.h"
#include "inference/quant/Fp16.h"

#include <cstring>

namespace lucent {
namespace {

void dequantizeQ4_0(const BlockQ4_0* blocks, float* y, size_t nb) {
    for (size_t b = 0; b < nb; ++b, y += 32) {
        const float d = halfToFloat(blocks[b].d);
        for (int j = 0; j < 16; ++j) {
            y[j] = d * float((blocks[b].qs[j] & 15) - 8);
            y[j + 16] = d * float((blocks[b].qs[j] >> 4) - 8);
        }
    }
}

void dequantizeQ4_1(const BlockQ4_1* blocks, float* y, size_t nb) {
    for (size_t b = 0; b < nb; ++b, y += 32) {
        const float d = halfToFloat(blocks[b].d), m = halfToFloat(blocks[b].m);
        for (int j = 0; j < 16; ++j) {
            y[j] = d * float(blocks[b].qs[j] & 15) + m;
            y[j + 16] = d * float(blocks[b].qs[j] >> 4) + m;
        }
    }
}

template <typename Block>
uint32_t highBits(const Block& block) {
    uint32_t qh;
    std::memcpy(&qh, block.qh, 4);
    return qh;
}

void dequantizeQ5_0(const BlockQ5_0* blocks, float* y, size_t nb) {
    for (size_t b = 0; b < nb; ++b, y += 32) {
        const float d = halfToFloat(blocks[b].d);
        const uint32_t qh = highBits(blocks[b]);
        for (int j = 0; j < 16; ++j) {
            const int lo = (blocks[b].qs[j] & 15) | int((qh >> j) & 1) << 4;
            const int hi = (blocks[b].qs[j] >> 4) | int((qh >> (j + 16)) & 1) << 4;
            y[j] = d * float(lo - 16);
            y[j + 16] = d * float(hi - 16);
        }
    }
}

void dequantizeQ5_1(const BlockQ5_1* blocks, float* y, size_t nb) {
    for (size_t b = 0; b < nb; ++b, y += 32) {
        const float d = halfToFloat(blocks[b].d), m = halfToFloat(blocks[b].m);
        const uint32_t qh = highBits(blocks[b]);
        for (int j = 0; j < 16; ++j) {
            const int lo = (blocks[b].qs[j] & 15) | int((qh >> j) & 1) << 4;
            const int hi = (blocks[b].qs[j] >> 4) | int((qh >> (j + 16)) & 1) << 4;
            y[j] = d * float(lo) + m;
            y[j + 16] = d * float(hi) + m;
        }
    }
}

void dequantizeQ8_0(const BlockQ8_0* blocks, float* y, size_t nb) {
    for (size_t b = 0; b < nb; ++b, y += 32) {
        const float d = halfToFloat(blocks[b].d);
        for (int j = 0; j < 32; ++j) y[j] = d * float(blocks[b].qs[j]);
    }
}

void dequantizeQ4_K(const BlockQ4_K* blocks, float* y, size_t nb) {
    for (size_t b = 0; b < nb; ++b) {
        const float d = halfToFloat(blocks[b].d), dmin = halfToFloat(blocks[b].dmin);
        const uint8_t* q = blocks[b].qs;
        for (int c = 0; c < 4; ++c, q += 32) {
            uint8_t sc0, m0, sc1, m1;
            kQuantScaleMin(blocks[b].scales, 2 * c, sc0, m0);
            kQuantScaleMin(blocks[b].scales, 2 * c + 1, sc1, m1);
            const float d0 = d * sc0, min0 = dmin * m0, d1 = d * sc1, min1 = dmin * m1;
            for (int l = 0; l < 32; ++l) *y++ = d0 * float(q[l] & 15) - min0;
            for (int l = 0; l < 32; ++l) *y++ = d1 * float(q[l] >> 4) - min1;
        }
    }
}

void dequantizeQ5_K(const BlockQ5_K* blocks, float* y, size_t nb) {
    for (size_t b = 0; b < nb; ++b) {
        const float d = halfToFloat(blocks[b].d), dmin = halfToFloat(blocks[b].dmin);
        const uint8_t* q = blocks[b].qs;
        const uint8_t* qh = blocks[b].qh;
        for (int c = 0; c < 4; ++c, q += 32) {
            uint8_t sc0, m0, sc1, m1;
            kQuantScaleMin(blocks[b].scales, 2 * c, sc0, m0);
            kQuantScaleMin(blocks[b].scales, 2 * c + 1, sc1, m1);
            const float d0 = d * sc0, min0 = dmin * m0, d1 = d * sc1, min1 = dmin * m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d0 * float((q[l] & 15) + (((qh[l] >> (2 * c)) & 1) << 4)) - min0;
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * float((q[l] >> 4) + (((qh[l] >> (2 * c + 1)) & 1) << 4)) - min1;
        }
    }
}

void dequantizeQ6_K(const BlockQ6_K* blocks, float* y, size_t nb) {
    for (size_t b = 0; b < nb; ++b) {
        const float d = halfToFloat(blocks[b].d);
        for (int h = 0; h < 2; ++h, y += 128) {
            const uint8_t* L = blocks[b].ql + 64 * h;
            const uint8_t* H = blocks[b].qh + 32 * h;
            const int8_t* S = blocks[b].scales + 8 * h;
            for (int l = 0; l < 32; ++l) {
                const int g = l / 16;
                y[l] = d * S[g] * float(((L[l] & 15) | ((H[l] & 3) << 4)) - 32);
                y[l + 32] = d * S[g + 2] * float(((L[l + 32] & 15) | (((H[l] >> 2) & 3) << 4)) - 32);
                y[l + 64] = d * S[g + 4] * float(((L[l] >> 4) | (((H[l] >> 4) & 3) << 4)) - 32);
                y[l + 96] = d * S[g + 6] * float(((L[l + 32] >> 4) | (((H[l] >> 6) & 3) << 4)) - 32);
            }
        }
    }
}

} // namespace

void dequantizeRow(TensorType type, const uint8_t* src, float* dst, size_t n) {
    const size_t nb = n / tensorTypeInfo(type).blockSize;
    switch (type) {
    case TensorType::F32: std::memcpy(dst, src, n * sizeof(float)); break;
    case TensorType::F16:
        for (size_t i = 0; i < n; ++i) {
            uint16_t bits;
            std::memcpy(&bits, src + 2 * i, 2);
            dst[i] = halfToFloat(bits);
        }
        break;
    case TensorType::BF16:
        for (size_t i = 0; i < n; ++i) {
            uint16_t bits;
            std::memcpy(&bits, src + 2 * i, 2);
            dst[i] = bf16ToFloat(bits);
        }
        break;
    case TensorType::Q4_0: dequantizeQ4_0(reinterpret_cast<const BlockQ4_0*>(src), dst, nb); break;
    case TensorType::Q4_1: dequantizeQ4_1(reinterpret_cast<const BlockQ4_1*>(src), dst, nb); break;
    case TensorType::Q5_0: dequantizeQ5_0(reinterpret_cast<const BlockQ5_0*>(src), dst, nb); break;
    case TensorType::Q5_1: dequantizeQ5_1(reinterpret_cast<const BlockQ5_1*>(src), dst, nb); break;
    case TensorType::Q8_0: dequantizeQ8_0(reinterpret_cast<const BlockQ8_0*>(src), dst, nb); break;
    case TensorType::Q4_K: dequantizeQ4_K(reinterpret_cast<const BlockQ4_K*>(src), dst, nb); break;
    case TensorType::Q5_K: dequantizeQ5_K(reinterpret_cast<const BlockQ5_K*>(src), dst, nb); break;
    case TensorType::Q6_K: dequantizeQ6_K(reinterpret_cast<const BlockQ6_K*>(src), dst, nb); break;
    }
}

} // namespace lucent
