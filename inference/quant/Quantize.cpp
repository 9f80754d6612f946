#include "inference/quant/Quantize.h"

#include "inference/quant/BlockFormats.h"
#include "inference/quant/Fp16.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lucent {
namespace {

int nearest(float x) { return int(std::lrintf(x)); }

// The value of largest magnitude, sign kept (Q4_0/Q5_0/Q6_K put it at the −2^(bits−1) end).
float signedMax(const float* x, int n) {
    float best = 0.0f;
    for (int i = 0; i < n; ++i)
        if (std::fabs(x[i]) > std::fabs(best)) best = x[i];
    return best;
}

// Symmetric 4/5-bit block: q = x/d + offset with d = max/−offset.
template <typename Block>
void quantizeSymmetric(const float* x, Block& block, int offset, int maxQ, uint8_t* q) {
    const float d = signedMax(x, 32) / float(-offset);
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    block.d = floatToHalf(d);
    for (int j = 0; j < 32; ++j) q[j] = uint8_t(std::clamp(nearest(x[j] * id) + offset, 0, maxQ));
}

// Affine 4/5-bit block: q = (x − min)/d.
template <typename Block>
void quantizeAffine(const float* x, Block& block, int maxQ, uint8_t* q) {
    const float lo = *std::min_element(x, x + 32), hi = *std::max_element(x, x + 32);
    const float d = (hi - lo) / float(maxQ);
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    block.d = floatToHalf(d);
    block.m = floatToHalf(lo);
    const float m = halfToFloat(block.m); // quantize against the stored (rounded) min
    for (int j = 0; j < 32; ++j) q[j] = uint8_t(std::clamp(nearest((x[j] - m) * id), 0, maxQ));
}

void packNibbles(const uint8_t* q, uint8_t* qs) {
    for (int j = 0; j < 16; ++j) qs[j] = uint8_t((q[j] & 15) | ((q[j + 16] & 15) << 4));
}

void packFifthBits(const uint8_t* q, uint8_t* qhBytes) {
    uint32_t qh = 0;
    for (int j = 0; j < 32; ++j) qh |= uint32_t((q[j] >> 4) & 1) << j;
    std::memcpy(qhBytes, &qh, 4);
}

// K-quants: each 32-weight sub-block gets x ≈ scale·q − min with 6-bit scale/min codes against
// the super-block's d and dmin. Returns the codes in q[256].
template <typename Block>
void quantizeKScaled(const float* x, Block& block, int maxQ, uint8_t* q) {
    float scales[8], mins[8];
    for (int s = 0; s < 8; ++s) {
        const float* xs = x + 32 * s;
        const float lo = std::min(0.0f, *std::min_element(xs, xs + 32));
        const float hi = *std::max_element(xs, xs + 32);
        scales[s] = (hi - lo) / float(maxQ);
        mins[s] = -lo;
    }
    const float maxScale = *std::max_element(scales, scales + 8);
    const float maxMin = *std::max_element(mins, mins + 8);
    const float d = maxScale / 63.0f, dmin = maxMin / 63.0f;
    block.d = floatToHalf(d);
    block.dmin = floatToHalf(dmin);
    const float dStored = halfToFloat(block.d), dminStored = halfToFloat(block.dmin);
    uint8_t ls[8], lm[8];
    for (int s = 0; s < 8; ++s) {
        ls[s] = uint8_t(dStored > 0 ? std::clamp(nearest(scales[s] / dStored), 0, 63) : 0);
        lm[s] = uint8_t(dminStored > 0 ? std::clamp(nearest(mins[s] / dminStored), 0, 63) : 0);
    }
    for (int j = 0; j < 4; ++j) {
        block.scales[j] = uint8_t((ls[j] & 63) | ((ls[j + 4] >> 4) << 6));
        block.scales[j + 4] = uint8_t((lm[j] & 63) | ((lm[j + 4] >> 4) << 6));
        block.scales[j + 8] = uint8_t((ls[j + 4] & 15) | ((lm[j + 4] & 15) << 4));
    }
    for (int s = 0; s < 8; ++s) {
        const float scale = dStored * ls[s], min = dminStored * lm[s];
        for (int l = 0; l < 32; ++l) {
            const float v = scale > 0 ? (x[32 * s + l] + min) / scale : 0.0f;
            q[32 * s + l] = uint8_t(std::clamp(nearest(v), 0, maxQ));
        }
    }
}

void quantizeQ4_K(const float* x, BlockQ4_K& block) {
    uint8_t q[256];
    quantizeKScaled(x, block, 15, q);
    for (int c = 0; c < 4; ++c)
        for (int l = 0; l < 32; ++l)
            block.qs[32 * c + l] = uint8_t(q[64 * c + l] | (q[64 * c + 32 + l] << 4));
}

void quantizeQ5_K(const float* x, BlockQ5_K& block) {
    uint8_t q[256];
    quantizeKScaled(x, block, 31, q);
    std::memset(block.qh, 0, sizeof block.qh);
    for (int c = 0; c < 4; ++c)
        for (int l = 0; l < 32; ++l) {
            const uint8_t lo = q[64 * c + l], hi = q[64 * c + 32 + l];
            block.qs[32 * c + l] = uint8_t((lo & 15) | ((hi & 15) << 4));
            block.qh[l] |= uint8_t(((lo >> 4) << (2 * c)) | ((hi >> 4) << (2 * c + 1)));
        }
}

void quantizeQ6_K(const float* x, BlockQ6_K& block) {
    float groupScale[16];
    for (int g = 0; g < 16; ++g) groupScale[g] = signedMax(x + 16 * g, 16) / -32.0f;
    const float maxScale = signedMax(groupScale, 16);
    const float d = maxScale / -128.0f; // int8 scales in [-128, 127]
    block.d = floatToHalf(d);
    const float dStored = halfToFloat(block.d);
    uint8_t q[256];
    for (int g = 0; g < 16; ++g) {
        block.scales[g] = int8_t(dStored != 0 ? std::clamp(nearest(groupScale[g] / dStored), -128, 127) : 0);
        const float scale = dStored * block.scales[g];
        for (int l = 0; l < 16; ++l) {
            const float v = scale != 0 ? x[16 * g + l] / scale : 0.0f;
            q[16 * g + l] = uint8_t(std::clamp(nearest(v), -32, 31) + 32);
        }
    }
    for (int h = 0; h < 2; ++h)
        for (int l = 0; l < 32; ++l) {
            const uint8_t* Q = q + 128 * h;
            const uint8_t q0 = Q[l], q1 = Q[l + 32], q2 = Q[l + 64], q3 = Q[l + 96];
            block.ql[64 * h + l] = uint8_t((q0 & 15) | ((q2 & 15) << 4));
            block.ql[64 * h + l + 32] = uint8_t((q1 & 15) | ((q3 & 15) << 4));
            block.qh[32 * h + l] = uint8_t((q0 >> 4) | ((q1 >> 4) << 2) | ((q2 >> 4) << 4) | ((q3 >> 4) << 6));
        }
}

template <typename Block, typename Fn>
void forEachBlock(const float* src, uint8_t* dst, size_t n, size_t blockSize, Fn fn) {
    auto* blocks = reinterpret_cast<Block*>(dst);
    for (size_t b = 0; b < n / blockSize; ++b) fn(src + b * blockSize, blocks[b]);
}

} // namespace

void quantizeRow(TensorType type, const float* src, uint8_t* dst, size_t n) {
    uint8_t q[32];
    switch (type) {
    case TensorType::F32: std::memcpy(dst, src, n * sizeof(float)); break;
    case TensorType::F16:
        for (size_t i = 0; i < n; ++i) {
            const uint16_t bits = floatToHalf(src[i]);
            std::memcpy(dst + 2 * i, &bits, 2);
        }
        break;
    case TensorType::BF16:
        for (size_t i = 0; i < n; ++i) {
            const uint16_t bits = floatToBf16(src[i]);
            std::memcpy(dst + 2 * i, &bits, 2);
        }
        break;
    case TensorType::Q4_0:
        forEachBlock<BlockQ4_0>(src, dst, n, 32, [&](const float* x, BlockQ4_0& b) {
            quantizeSymmetric(x, b, 8, 15, q);
            packNibbles(q, b.qs);
        });
        break;
    case TensorType::Q4_1:
        forEachBlock<BlockQ4_1>(src, dst, n, 32, [&](const float* x, BlockQ4_1& b) {
            quantizeAffine(x, b, 15, q);
            packNibbles(q, b.qs);
        });
        break;
    case TensorType::Q5_0:
        forEachBlock<BlockQ5_0>(src, dst, n, 32, [&](const float* x, BlockQ5_0& b) {
            quantizeSymmetric(x, b, 16, 31, q);
            packNibbles(q, b.qs);
            packFifthBits(q, b.qh);
        });
        break;
    case TensorType::Q5_1:
        forEachBlock<BlockQ5_1>(src, dst, n, 32, [&](const float* x, BlockQ5_1& b) {
            quantizeAffine(x, b, 31, q);
            packNibbles(q, b.qs);
            packFifthBits(q, b.qh);
        });
        break;
    case TensorType::Q8_0:
        forEachBlock<BlockQ8_0>(src, dst, n, 32, [&](const float* x, BlockQ8_0& b) {
            float amax = 0.0f;
            for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[j]));
            const float d = amax / 127.0f, id = d != 0.0f ? 1.0f / d : 0.0f;
            b.d = floatToHalf(d);
            for (int j = 0; j < 32; ++j) b.qs[j] = int8_t(std::clamp(nearest(x[j] * id), -127, 127));
        });
        break;
    case TensorType::Q4_K: forEachBlock<BlockQ4_K>(src, dst, n, 256, quantizeQ4_K); break;
    case TensorType::Q5_K: forEachBlock<BlockQ5_K>(src, dst, n, 256, quantizeQ5_K); break;
    case TensorType::Q6_K: forEachBlock<BlockQ6_K>(src, dst, n, 256, quantizeQ6_K); break;
    }
}

std::vector<uint8_t> quantize(TensorType type, std::span<const float> rows, size_t rowLength) {
    const size_t rowCount = rows.size() / rowLength;
    const size_t bytesPerRow = rowBytes(type, rowLength);
    std::vector<uint8_t> out(rowCount * bytesPerRow);
    for (size_t r = 0; r < rowCount; ++r)
        quantizeRow(type, rows.data() + r * rowLength, out.data() + r * bytesPerRow, rowLength);
    return out;
}

} // namespace lucent
