#include "inference/cpu/DotProduct.h"

#include "inference/cpu/CpuFeatures.h"
#include "inference/quant/BlockFormats.h"
#include "inference/quant/Fp16.h"

#include <bit>
#include <cstring>

// Hot loops are compiled twice, for AVX2+FMA (x86-64-v3) and for the baseline, and the loader
// picks one at run time (GCC function multi-versioning), so one binary is fast and still portable.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define LUCENT_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define LUCENT_VECTOR_CLONES
#endif
#define LUCENT_INLINE inline __attribute__((always_inline))

namespace lucent {
namespace {

// Each routine keeps kLanes independent partial sums (acc[l] only ever sees lane l), which is the
// shape a compiler vectorizes without -ffast-math; the lanes are added once per row.
constexpr int kLanes = 16;

struct HalfTable {
    float value[65536];
    HalfTable() {
        for (uint32_t i = 0; i < 65536; ++i) value[i] = halfToFloat(uint16_t(i));
    }
};
const HalfTable kHalf;
const bool kF16c = cpuHasAvx2();

LUCENT_INLINE float laneSum(const float* acc, int lanes) {
    float sum = 0.0f;
    for (int l = 0; l < lanes; ++l) sum += acc[l];
    return sum;
}

LUCENT_INLINE float dotFloat(const float* w, const float* x, size_t n) {
    float acc[kLanes] = {};
    size_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (int l = 0; l < kLanes; ++l) acc[l] += w[i + l] * x[i + l];
    float sum = laneSum(acc, kLanes);
    for (; i < n; ++i) sum += w[i] * x[i];
    return sum;
}

LUCENT_INLINE float dotHalf(const uint16_t* w, const float* x, size_t n) {
    float acc[kLanes] = {};
    size_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (int l = 0; l < kLanes; ++l) acc[l] += kHalf.value[w[i + l]] * x[i + l];
    float sum = laneSum(acc, kLanes);
    for (; i < n; ++i) sum += kHalf.value[w[i]] * x[i];
    return sum;
}

LUCENT_INLINE float dotBf16(const uint16_t* w, const float* x, size_t n) {
    float acc[kLanes] = {};
    size_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (int l = 0; l < kLanes; ++l) acc[l] += std::bit_cast<float>(uint32_t(w[i + l]) << 16) * x[i + l];
    float sum = laneSum(acc, kLanes);
    for (; i < n; ++i) sum += std::bit_cast<float>(uint32_t(w[i]) << 16) * x[i];
    return sum;
}

LUCENT_INLINE float dotQ8_0(const BlockQ8_0* b, const float* x, size_t blocks) {
    float acc[16] = {};
    for (size_t i = 0; i < blocks; ++i, x += 32) {
        const float d = kHalf.value[b[i].d];
        for (int j = 0; j < 16; ++j) acc[j] += d * (x[j] * float(b[i].qs[j]) + x[j + 16] * float(b[i].qs[j + 16]));
    }
    return laneSum(acc, 16);
}

LUCENT_INLINE float dotQ4_0(const BlockQ4_0* b, const float* x, size_t blocks) {
    float acc[16] = {};
    for (size_t i = 0; i < blocks; ++i, x += 32) {
        const float d = kHalf.value[b[i].d];
        for (int j = 0; j < 16; ++j)
            acc[j] += d * (x[j] * float((b[i].qs[j] & 15) - 8) + x[j + 16] * float((b[i].qs[j] >> 4) - 8));
    }
    return laneSum(acc, 16);
}

LUCENT_INLINE float dotQ4_1(const BlockQ4_1* b, const float* x, size_t blocks) {
    float acc[16] = {};
    for (size_t i = 0; i < blocks; ++i, x += 32) {
        const float d = kHalf.value[b[i].d], m = kHalf.value[b[i].m];
        for (int j = 0; j < 16; ++j)
            acc[j] += x[j] * (d * float(b[i].qs[j] & 15) + m) + x[j + 16] * (d * float(b[i].qs[j] >> 4) + m);
    }
    return laneSum(acc, 16);
}

// Q5_0/Q5_1: bit 4 of weight j is bit j of the little-endian u32 qh.
LUCENT_INLINE float dotQ5_0(const BlockQ5_0* b, const float* x, size_t blocks) {
    float acc[16] = {};
    for (size_t i = 0; i < blocks; ++i, x += 32) {
        const float d = kHalf.value[b[i].d];
        uint32_t qh;
        std::memcpy(&qh, b[i].qh, 4);
        for (int j = 0; j < 16; ++j) {
            const int lo = int((b[i].qs[j] & 15) | (((qh >> j) & 1) << 4)) - 16;
            const int hi = int((b[i].qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4)) - 16;
            acc[j] += d * (x[j] * float(lo) + x[j + 16] * float(hi));
        }
    }
    return laneSum(acc, 16);
}

LUCENT_INLINE float dotQ5_1(const BlockQ5_1* b, const float* x, size_t blocks) {
    float acc[16] = {};
    for (size_t i = 0; i < blocks; ++i, x += 32) {
        const float d = kHalf.value[b[i].d], m = kHalf.value[b[i].m];
        uint32_t qh;
        std::memcpy(&qh, b[i].qh, 4);
        for (int j = 0; j < 16; ++j) {
            const uint32_t lo = (b[i].qs[j] & 15) | (((qh >> j) & 1) << 4);
            const uint32_t hi = (b[i].qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4);
            acc[j] += x[j] * (d * float(lo) + m) + x[j + 16] * (d * float(hi) + m);
        }
    }
    return laneSum(acc, 16);
}

// Q4_K/Q5_K: chunk c holds sub-blocks 2c (low nibbles) and 2c+1 (high nibbles) of 32 weights.
LUCENT_INLINE float dotQ4_K(const BlockQ4_K* b, const float* x, size_t blocks) {
    float acc[32] = {};
    for (size_t i = 0; i < blocks; ++i, x += 256) {
        const float d = kHalf.value[b[i].d], dmin = kHalf.value[b[i].dmin];
        for (int c = 0; c < 4; ++c) {
            uint8_t sc1, m1, sc2, m2;
            kQuantScaleMin(b[i].scales, 2 * c, sc1, m1);
            kQuantScaleMin(b[i].scales, 2 * c + 1, sc2, m2);
            const float d1 = d * sc1, o1 = dmin * m1, d2 = d * sc2, o2 = dmin * m2;
            const uint8_t* q = b[i].qs + 32 * c;
            const float* x1 = x + 64 * c;
            for (int l = 0; l < 32; ++l)
                acc[l] += x1[l] * (d1 * float(q[l] & 15) - o1) + x1[l + 32] * (d2 * float(q[l] >> 4) - o2);
        }
    }
    return laneSum(acc, 32);
}

LUCENT_INLINE float dotQ5_K(const BlockQ5_K* b, const float* x, size_t blocks) {
    float acc[32] = {};
    for (size_t i = 0; i < blocks; ++i, x += 256) {
        const float d = kHalf.value[b[i].d], dmin = kHalf.value[b[i].dmin];
        for (int c = 0; c < 4; ++c) {
            uint8_t sc1, m1, sc2, m2;
            kQuantScaleMin(b[i].scales, 2 * c, sc1, m1);
            kQuantScaleMin(b[i].scales, 2 * c + 1, sc2, m2);
            const float d1 = d * sc1, o1 = dmin * m1, d2 = d * sc2, o2 = dmin * m2;
            const uint8_t* q = b[i].qs + 32 * c;
            const uint8_t* h = b[i].qh;
            const float* x1 = x + 64 * c;
            for (int l = 0; l < 32; ++l) {
                const uint32_t lo = (q[l] & 15) | (((h[l] >> (2 * c)) & 1) << 4);
                const uint32_t hi = (q[l] >> 4) | (((h[l] >> (2 * c + 1)) & 1) << 4);
                acc[l] += x1[l] * (d1 * float(lo) - o1) + x1[l + 32] * (d2 * float(hi) - o2);
            }
        }
    }
    return laneSum(acc, 32);
}

// Q6_K: half h of the block covers 128 weights in four runs of 32; run r of group g (16 weights)
// uses scales[8h + 2r + g].
LUCENT_INLINE float dotQ6_K(const BlockQ6_K* b, const float* x, size_t blocks) {
    float acc[16] = {};
    for (size_t i = 0; i < blocks; ++i, x += 256) {
        const float d = kHalf.value[b[i].d];
        for (int h = 0; h < 2; ++h) {
            const uint8_t* L = b[i].ql + 64 * h;
            const uint8_t* H = b[i].qh + 32 * h;
            const int8_t* S = b[i].scales + 8 * h;
            const float* xh = x + 128 * h;
            for (int g = 0; g < 2; ++g) {
                const float s0 = d * S[g], s1 = d * S[g + 2], s2 = d * S[g + 4], s3 = d * S[g + 6];
                for (int j = 0; j < 16; ++j) {
                    const int l = 16 * g + j;
                    const int q0 = int((L[l] & 15) | ((H[l] & 3) << 4)) - 32;
                    const int q1 = int((L[l + 32] & 15) | (((H[l] >> 2) & 3) << 4)) - 32;
                    const int q2 = int((L[l] >> 4) | (((H[l] >> 4) & 3) << 4)) - 32;
                    const int q3 = int((L[l + 32] >> 4) | (((H[l] >> 6) & 3) << 4)) - 32;
                    acc[j] += s0 * (xh[l] * float(q0)) + s1 * (xh[l + 32] * float(q1)) + s2 * (xh[l + 64] * float(q2)) +
                              s3 * (xh[l + 96] * float(q3));
                }
            }
        }
    }
    return laneSum(acc, 16);
}

LUCENT_VECTOR_CLONES
void dotRowsVectorized(TensorType type, const uint8_t* rows, size_t stride, size_t n, const float* x, float* y, size_t count) {
    switch (type) {
    case TensorType::F32:
        for (size_t r = 0; r < count; ++r) y[r] = dotFloat(reinterpret_cast<const float*>(rows + r * stride), x, n);
        return;
    case TensorType::F16:
        if (kF16c) {
            for (size_t r = 0; r < count; ++r) y[r] = detail::dotHalfAvx2(reinterpret_cast<const uint16_t*>(rows + r * stride), x, n);
            return;
        }
        for (size_t r = 0; r < count; ++r) y[r] = dotHalf(reinterpret_cast<const uint16_t*>(rows + r * stride), x, n);
        return;
    case TensorType::BF16:
        for (size_t r = 0; r < count; ++r) y[r] = dotBf16(reinterpret_cast<const uint16_t*>(rows + r * stride), x, n);
        return;
    case TensorType::Q8_0:
        for (size_t r = 0; r < count; ++r) y[r] = dotQ8_0(reinterpret_cast<const BlockQ8_0*>(rows + r * stride), x, n / 32);
        return;
    case TensorType::Q4_0:
        for (size_t r = 0; r < count; ++r) y[r] = dotQ4_0(reinterpret_cast<const BlockQ4_0*>(rows + r * stride), x, n / 32);
        return;
    case TensorType::Q4_1:
        for (size_t r = 0; r < count; ++r) y[r] = dotQ4_1(reinterpret_cast<const BlockQ4_1*>(rows + r * stride), x, n / 32);
        return;
    case TensorType::Q5_0:
        for (size_t r = 0; r < count; ++r) y[r] = dotQ5_0(reinterpret_cast<const BlockQ5_0*>(rows + r * stride), x, n / 32);
        return;
    case TensorType::Q5_1:
        for (size_t r = 0; r < count; ++r) y[r] = dotQ5_1(reinterpret_cast<const BlockQ5_1*>(rows + r * stride), x, n / 32);
        return;
    case TensorType::Q4_K:
        for (size_t r = 0; r < count; ++r) y[r] = dotQ4_K(reinterpret_cast<const BlockQ4_K*>(rows + r * stride), x, n / 256);
        return;
    case TensorType::Q5_K:
        for (size_t r = 0; r < count; ++r) y[r] = dotQ5_K(reinterpret_cast<const BlockQ5_K*>(rows + r * stride), x, n / 256);
        return;
    case TensorType::Q6_K:
        for (size_t r = 0; r < count; ++r) y[r] = dotQ6_K(reinterpret_cast<const BlockQ6_K*>(rows + r * stride), x, n / 256);
        return;
    }
}

LUCENT_VECTOR_CLONES
float dotF32Vectorized(const float* a, const float* b, size_t n) { return dotFloat(a, b, n); }

LUCENT_VECTOR_CLONES
void addScaledHalfVectorized(float* y, float a, const uint16_t* x, size_t n) {
    for (size_t i = 0; i < n; ++i) y[i] += a * kHalf.value[x[i]];
}

} // namespace

void addScaledHalf(float* y, float a, const uint16_t* x, size_t n) {
    if (kF16c) detail::addScaledHalfAvx2(y, a, x, n);
    else addScaledHalfVectorized(y, a, x, n);
}

float halfBitsToFloat(uint16_t bits) { return kHalf.value[bits]; }

float dotF32(const float* a, const float* b, size_t n) { return dotF32Vectorized(a, b, n); }

float dotRow(TensorType type, const uint8_t* row, const float* x, size_t n) {
    float y = 0.0f;
    dotRowsVectorized(type, row, rowBytes(type, n), n, x, &y, 1);
    return y;
}

void dotRows(TensorType type, const uint8_t* rows, size_t rowStride, size_t n, const float* x, float* y, size_t count) {
    dotRowsVectorized(type, rows, rowStride, n, x, y, count);
}

} // namespace lucent
