// AVX2 versions of the integer dot products in QuantDot.cpp — same arithmetic, 32 bytes at a
// time. Built with a per-function target attribute, so the file compiles for any x86-64 and the
// caller only enters it after checking the CPU (QuantDot.cpp).
#include "inference/cpu/QuantDot.h"

#if defined(__x86_64__) && defined(__GNUC__)

#include "inference/cpu/DotProduct.h"
#include "inference/cpu/QuantizedActivations.h"
#include "inference/quant/BlockFormats.h"

#include <cstring>
#include <immintrin.h>
#include <type_traits>

#define LUCENT_AVX2 __attribute__((target("avx2,fma,f16c")))

namespace lucent::detail {
namespace {

LUCENT_AVX2 inline float half(uint16_t bits) { return _cvtsh_ss(bits); }

LUCENT_AVX2 inline __m256i load(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

// 16 bytes of packed nibbles → 32 bytes: the low nibbles (weights 0–15), then the high (16–31).
LUCENT_AVX2 inline __m256i nibbles(const uint8_t* qs) {
    const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(qs));
    return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(raw, 4), raw), _mm256_set1_epi8(15));
}

// Byte j = 0x10 where bit j of `bits` is set: the fifth bit of Q5_0/Q5_1 weights.
LUCENT_AVX2 inline __m256i fifthBits(uint32_t bits) {
    const __m256i spread = _mm256_shuffle_epi8(_mm256_set1_epi32(int(bits)),
                                               _mm256_setr_epi64x(0, 0x0101010101010101, 0x0202020202020202, 0x0303030303030303));
    const __m256i mask = _mm256_set1_epi64x(int64_t(0x8040201008040201ull));
    return _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(spread, mask), mask), _mm256_set1_epi8(0x10));
}

// Σ u·s over each group of four bytes → 8 int32 lanes (u unsigned ≤ 63, s signed: no saturation).
LUCENT_AVX2 inline __m256i dotBytes(__m256i u, __m256i s) { return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1)); }

LUCENT_AVX2 inline float sumLanes(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// Legacy types: `offset` is the weights' zero point (8 or 16), folded in through Σq_x.
template <typename Block>
LUCENT_AVX2 inline float dot32(const Block* w, const ActivationBlock32* x, size_t blocks) {
    __m256 acc = _mm256_setzero_ps();
    float scalar = 0.0f;
    for (size_t b = 0; b < blocks; ++b) {
        const float scale = half(w[b].d) * x[b].d;
        const __m256i qx = load(x[b].qs);
        __m256i products;
        if constexpr (std::is_same_v<Block, BlockQ8_0>) {
            const __m256i qw = load(w[b].qs);
            products = dotBytes(_mm256_sign_epi8(qw, qw), _mm256_sign_epi8(qx, qw));
        } else {
            __m256i qw = nibbles(w[b].qs);
            if constexpr (std::is_same_v<Block, BlockQ5_0> || std::is_same_v<Block, BlockQ5_1>) {
                uint32_t qh;
                std::memcpy(&qh, w[b].qh, 4);
                qw = _mm256_or_si256(qw, fifthBits(qh));
            }
            products = dotBytes(qw, qx);
            if constexpr (std::is_same_v<Block, BlockQ4_0>) scalar -= 8.0f * scale * float(x[b].sum);
            if constexpr (std::is_same_v<Block, BlockQ5_0>) scalar -= 16.0f * scale * float(x[b].sum);
            if constexpr (std::is_same_v<Block, BlockQ4_1> || std::is_same_v<Block, BlockQ5_1>) scalar += half(w[b].m) * x[b].sumScaled;
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(scale), _mm256_cvtepi32_ps(products), acc);
    }
    return sumLanes(acc) + scalar;
}

// Q4_K/Q5_K: 4 chunks of 64 weights; each 32-byte load holds sub-block 2c (low nibbles) and 2c+1 (high).
template <bool fiveBit, typename Block>
LUCENT_AVX2 inline float dotK45(const Block* w, const ActivationBlock256* x, size_t blocks) {
    __m256 acc = _mm256_setzero_ps();
    float scalar = 0.0f;
    const __m256i low4 = _mm256_set1_epi8(15), one = _mm256_set1_epi8(1);
    for (size_t b = 0; b < blocks; ++b) {
        __m256i sumi = _mm256_setzero_si256();
        int mins = 0;
        __m256i qh = _mm256_setzero_si256();
        if constexpr (fiveBit) qh = load(w[b].qh);
        for (int c = 0; c < 4; ++c) {
            uint8_t sc0, m0, sc1, m1;
            kQuantScaleMin(w[b].scales, 2 * c, sc0, m0);
            kQuantScaleMin(w[b].scales, 2 * c + 1, sc1, m1);
            const __m256i raw = load(w[b].qs + 32 * c);
            __m256i lo = _mm256_and_si256(raw, low4), hi = _mm256_and_si256(_mm256_srli_epi16(raw, 4), low4);
            if constexpr (fiveBit) {
                const __m256i bitLo = _mm256_and_si256(_mm256_srl_epi16(qh, _mm_cvtsi32_si128(2 * c)), one);
                const __m256i bitHi = _mm256_and_si256(_mm256_srl_epi16(qh, _mm_cvtsi32_si128(2 * c + 1)), one);
                lo = _mm256_or_si256(lo, _mm256_slli_epi16(bitLo, 4));
                hi = _mm256_or_si256(hi, _mm256_slli_epi16(bitHi, 4));
            }
            const __m256i pLo = _mm256_maddubs_epi16(lo, load(x[b].qs + 64 * c));
            const __m256i pHi = _mm256_maddubs_epi16(hi, load(x[b].qs + 64 * c + 32));
            sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(pLo, _mm256_set1_epi16(sc0)));
            sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(pHi, _mm256_set1_epi16(sc1)));
            mins += m0 * (x[b].bsums[4 * c] + x[b].bsums[4 * c + 1]) + m1 * (x[b].bsums[4 * c + 2] + x[b].bsums[4 * c + 3]);
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(w[b].d) * x[b].d), _mm256_cvtepi32_ps(sumi), acc);
        scalar -= half(w[b].dmin) * x[b].d * float(mins);
    }
    return sumLanes(acc) + scalar;
}

// Q6_K: per half, four runs of 32 six-bit values (0–63, zero point 32 folded in via bsums).
LUCENT_AVX2 inline float dotQ6_K(const BlockQ6_K* w, const ActivationBlock256* x, size_t blocks) {
    __m256 acc = _mm256_setzero_ps();
    float scalar = 0.0f;
    const __m256i low4 = _mm256_set1_epi8(15), low2 = _mm256_set1_epi8(3);
    for (size_t b = 0; b < blocks; ++b) {
        __m256i sumi = _mm256_setzero_si256();
        int offset = 0;
        for (int k = 0; k < 16; ++k) offset += w[b].scales[k] * x[b].bsums[k];
        for (int h = 0; h < 2; ++h) {
            const __m256i l0 = load(w[b].ql + 64 * h), l1 = load(w[b].ql + 64 * h + 32), hb = load(w[b].qh + 32 * h);
            const __m256i q[4] = {
                _mm256_or_si256(_mm256_and_si256(l0, low4), _mm256_slli_epi16(_mm256_and_si256(hb, low2), 4)),
                _mm256_or_si256(_mm256_and_si256(l1, low4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 2), low2), 4)),
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), low4),
                                _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 4), low2), 4)),
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), low4),
                                _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 6), low2), 4)),
            };
            for (int r = 0; r < 4; ++r) {
                const int8_t* s = w[b].scales + 8 * h + 2 * r;
                const __m256i scales = _mm256_set_m128i(_mm_set1_epi16(s[1]), _mm_set1_epi16(s[0]));
                const __m256i products = _mm256_maddubs_epi16(q[r], load(x[b].qs + 128 * h + 32 * r));
                sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(products, scales));
            }
        }
        const float scale = half(w[b].d) * x[b].d;
        acc = _mm256_fmadd_ps(_mm256_set1_ps(scale), _mm256_cvtepi32_ps(sumi), acc);
        scalar -= 32.0f * scale * float(offset);
    }
    return sumLanes(acc) + scalar;
}

template <typename Block, typename Activation, typename Dot>
LUCENT_AVX2 inline void rowsOf(const uint8_t* rows, size_t stride, size_t blocks, const void* x, float* y, size_t count, Dot dot) {
    for (size_t r = 0; r < count; ++r)
        y[r] = dot(reinterpret_cast<const Block*>(rows + r * stride), static_cast<const Activation*>(x), blocks);
}

} // namespace

LUCENT_AVX2 bool quantDotRowsAvx2(TensorType type, const uint8_t* rows, size_t stride, size_t n, const void* x, float* y, size_t count) {
    switch (type) {
    case TensorType::Q4_0: rowsOf<BlockQ4_0, ActivationBlock32>(rows, stride, n / 32, x, y, count, dot32<BlockQ4_0>); return true;
    case TensorType::Q4_1: rowsOf<BlockQ4_1, ActivationBlock32>(rows, stride, n / 32, x, y, count, dot32<BlockQ4_1>); return true;
    case TensorType::Q5_0: rowsOf<BlockQ5_0, ActivationBlock32>(rows, stride, n / 32, x, y, count, dot32<BlockQ5_0>); return true;
    case TensorType::Q5_1: rowsOf<BlockQ5_1, ActivationBlock32>(rows, stride, n / 32, x, y, count, dot32<BlockQ5_1>); return true;
    case TensorType::Q8_0: rowsOf<BlockQ8_0, ActivationBlock32>(rows, stride, n / 32, x, y, count, dot32<BlockQ8_0>); return true;
    case TensorType::Q4_K: rowsOf<BlockQ4_K, ActivationBlock256>(rows, stride, n / 256, x, y, count, dotK45<false, BlockQ4_K>); return true;
    case TensorType::Q5_K: rowsOf<BlockQ5_K, ActivationBlock256>(rows, stride, n / 256, x, y, count, dotK45<true, BlockQ5_K>); return true;
    case TensorType::Q6_K: rowsOf<BlockQ6_K, ActivationBlock256>(rows, stride, n / 256, x, y, count, dotQ6_K); return true;
    default: return false;
    }
}

} // namespace lucent::detail

#else

namespace lucent::detail {
bool quantDotRowsAvx2(TensorType, const uint8_t*, size_t, size_t, const void*, float*, size_t) { return false; }
} // namespace lucent::detail

#endif
