// AVX2 versions of the integer dot products in QuantDot.cpp — same arithmetic, 32 bytes at a
// time. Built with a per-function target attribute, so the file compiles for any x86-64 and the
// caller only enters it after checking the CPU (QuantDot.cpp).
//
// CMake builds this file twice: as quantDotRowsAvx2, and with LUCENT_QUANT_DOT_VNNI defined as
// quantDotRowsAvxVnni, where AVX-VNNI's vpdpbusd does in one instruction what maddubs + madd +
// add do in three. Both give the same integer lanes, so the same bits.
#include "inference/cpu/QuantDot.h"

#if defined(__x86_64__) && defined(__GNUC__)

#include "inference/cpu/DotProduct.h"
#include "inference/cpu/QuantizedActivations.h"
#include "inference/quant/BlockFormats.h"

#include <cstring>
#include <immintrin.h>
#include <type_traits>

#ifdef LUCENT_QUANT_DOT_VNNI
#define LUCENT_AVX2 __attribute__((target("avx2,fma,f16c,avxvnni")))
#define LUCENT_QUANT_DOT_ENTRY quantDotRowsAvxVnni
#else
#define LUCENT_AVX2 __attribute__((target("avx2,fma,f16c")))
#define LUCENT_QUANT_DOT_ENTRY quantDotRowsAvx2
#endif

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

// Σ u·s over each group of four bytes, added to `start` → 8 int32 lanes (u unsigned ≤ 128, s
// signed ≥ −127: the 16-bit pair sums of maddubs never saturate, so both forms give the same lanes).
LUCENT_AVX2 inline __m256i dotBytes(__m256i start, __m256i u, __m256i s) {
#ifdef LUCENT_QUANT_DOT_VNNI
    return _mm256_dpbusd_avx_epi32(start, u, s);
#else
    return _mm256_add_epi32(start, _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1)));
#endif
}

LUCENT_AVX2 inline float sumLanes(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// Legacy 32-weight types, block by block. The zero point z (8 or 16) is taken off inside the
// lanes: Σ(q−z)·x = Σq·x − z·Σx, and with −z·Σx spread as −z·Σx/8 per lane as the start of the
// sum the eight lanes still add up exactly (integers).
template <typename Block> constexpr bool kHasMin = std::is_same_v<Block, BlockQ4_1> || std::is_same_v<Block, BlockQ5_1>;
// With vpdpbusd (no 16-bit saturation) Q8_0's signed weights go in as w + 128, unsigned: a zero
// point of 128 (u = w + 128) taken off like the others.
#ifdef LUCENT_QUANT_DOT_VNNI
constexpr int kQ8LaneOffset = 16;
#else
constexpr int kQ8LaneOffset = 0;
#endif
template <typename Block>
constexpr int kLaneOffset = std::is_same_v<Block, BlockQ4_0> ? 1 : std::is_same_v<Block, BlockQ5_0> ? 2 : std::is_same_v<Block, BlockQ8_0> ? kQ8LaneOffset : 0; // z/8

// The block's 32 weights as bytes: unsigned q for the 4/5-bit types, signed for Q8_0.
template <typename Block>
LUCENT_AVX2 inline __m256i weightBytes(const Block& w) {
    if constexpr (std::is_same_v<Block, BlockQ8_0>) {
        return load(w.qs);
    } else {
        const __m256i q = nibbles(w.qs);
        if constexpr (std::is_same_v<Block, BlockQ5_0> || std::is_same_v<Block, BlockQ5_1>) {
            uint32_t qh;
            std::memcpy(&qh, w.qh, 4);
            return _mm256_or_si256(q, fifthBits(qh));
        }
        return q;
    }
}

// −(z/8)·Σx in every lane: where a block's integer sum starts.
template <typename Block>
LUCENT_AVX2 inline __m256i laneStart(const ActivationBlock32& x) {
    if constexpr (kLaneOffset<Block> != 0) return _mm256_set1_epi32(-kLaneOffset<Block> * x.sum);
    return _mm256_setzero_si256();
}

// Σ(q−z)·x of one block in 8 lanes. Q8_0 is signed × signed: w + 128 with VNNI, else |w| and x
// with w's sign (maddubs' pair sums stay below 2¹⁵ that way).
template <typename Block>
LUCENT_AVX2 inline __m256i blockProducts(__m256i qw, __m256i qx, __m256i start) {
    if constexpr (std::is_same_v<Block, BlockQ8_0>) {
        if constexpr (kQ8LaneOffset != 0) return dotBytes(start, _mm256_xor_si256(qw, _mm256_set1_epi8(char(0x80))), qx);
        return dotBytes(start, _mm256_sign_epi8(qw, qw), _mm256_sign_epi8(qx, qw));
    }
    return dotBytes(start, qw, qx);
}

// One (row, token) pair's step for a block: acc += d_w·d_x·products (and the minimum's term).
// Both kernels below take exactly this step, so a product has the same bits whichever ran it.
template <typename Block>
LUCENT_AVX2 inline void accumulate(const Block& w, const ActivationBlock32& x, __m256i products, __m256& acc, float& scalar) {
    if constexpr (kHasMin<Block>) scalar += half(w.m) * x.sumScaled;
    acc = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_set1_ps(half(w.d)), _mm256_broadcast_ss(&x.d)), _mm256_cvtepi32_ps(products), acc);
}

// One weight row × NT tokens: a block's weights are unpacked once for NT tokens (prompts).
template <typename Block, int NT>
LUCENT_AVX2 inline void dot32(const Block* w, const ActivationBlock32* const* x, size_t blocks, float* out) {
    __m256 acc[NT];
    float scalar[NT];
    for (int t = 0; t < NT; ++t) acc[t] = _mm256_setzero_ps(), scalar[t] = 0.0f;
    for (size_t b = 0; b < blocks; ++b) {
        const __m256i qw = weightBytes(w[b]);
        for (int t = 0; t < NT; ++t) {
            const ActivationBlock32& xb = x[t][b];
            accumulate(w[b], xb, blockProducts<Block>(qw, load(xb.qs), laneStart<Block>(xb)), acc[t], scalar[t]);
        }
    }
    for (int t = 0; t < NT; ++t) out[t] = sumLanes(acc[t]) + scalar[t];
}

// NR weight rows × one token (decode): the token's block is loaded once for NR rows, and the NR
// accumulators are independent chains the core overlaps.
template <typename Block, int NR>
LUCENT_AVX2 inline void dot32Rows(const uint8_t* rows, size_t stride, const ActivationBlock32* x, size_t blocks, float* out) {
    const Block* w[NR];
    __m256 acc[NR];
    float scalar[NR];
    for (int r = 0; r < NR; ++r) w[r] = reinterpret_cast<const Block*>(rows + size_t(r) * stride), acc[r] = _mm256_setzero_ps(), scalar[r] = 0.0f;
    for (size_t b = 0; b < blocks; ++b) {
        const __m256i qx = load(x[b].qs), start = laneStart<Block>(x[b]);
        for (int r = 0; r < NR; ++r) accumulate(w[r][b], x[b], blockProducts<Block>(weightBytes(w[r][b]), qx, start), acc[r], scalar[r]);
    }
    for (int r = 0; r < NR; ++r) out[r] = sumLanes(acc[r]) + scalar[r];
}

// Q4_K/Q5_K: 4 chunks of 64 weights; each 32-byte load holds sub-block 2c (low nibbles) and 2c+1 (high).
template <bool fiveBit, typename Block, int NT>
LUCENT_AVX2 inline void dotK45(const Block* w, const ActivationBlock256* const* x, size_t blocks, float* out) {
    __m256 acc[NT];
    for (int t = 0; t < NT; ++t) acc[t] = _mm256_setzero_ps();
    const __m256i low4 = _mm256_set1_epi8(15), one = _mm256_set1_epi8(1);
    for (size_t b = 0; b < blocks; ++b) {
        __m256i sumi[NT];
        for (int t = 0; t < NT; ++t) sumi[t] = _mm256_setzero_si256();
        __m256i qh = _mm256_setzero_si256();
        if constexpr (fiveBit) qh = load(w[b].qh);
        alignas(32) int16_t mins[16]; // the minimum of the sub-block each 16-sum of x falls in
        for (int c = 0; c < 4; ++c) {
            uint8_t sc0, m0, sc1, m1;
            kQuantScaleMin(w[b].scales, 2 * c, sc0, m0);
            kQuantScaleMin(w[b].scales, 2 * c + 1, sc1, m1);
            mins[4 * c] = mins[4 * c + 1] = m0;
            mins[4 * c + 2] = mins[4 * c + 3] = m1;
            const __m256i raw = load(w[b].qs + 32 * c);
            __m256i lo = _mm256_and_si256(raw, low4), hi = _mm256_and_si256(_mm256_srli_epi16(raw, 4), low4);
            if constexpr (fiveBit) {
                const __m256i bitLo = _mm256_and_si256(_mm256_srl_epi16(qh, _mm_cvtsi32_si128(2 * c)), one);
                const __m256i bitHi = _mm256_and_si256(_mm256_srl_epi16(qh, _mm_cvtsi32_si128(2 * c + 1)), one);
                lo = _mm256_or_si256(lo, _mm256_slli_epi16(bitLo, 4));
                hi = _mm256_or_si256(hi, _mm256_slli_epi16(bitHi, 4));
            }
            const __m256i scLo = _mm256_set1_epi16(sc0), scHi = _mm256_set1_epi16(sc1);
            for (int t = 0; t < NT; ++t) {
                const ActivationBlock256& xb = x[t][b];
                const __m256i pLo = _mm256_maddubs_epi16(lo, load(xb.qs + 64 * c));
                const __m256i pHi = _mm256_maddubs_epi16(hi, load(xb.qs + 64 * c + 32));
                sumi[t] = _mm256_add_epi32(sumi[t], _mm256_madd_epi16(pLo, scLo));
                sumi[t] = _mm256_add_epi32(sumi[t], _mm256_madd_epi16(pHi, scHi));
            }
        }
        const __m256i minsv = load(mins);
        const __m256 d = _mm256_set1_ps(half(w[b].d)), dmin = _mm256_set1_ps(half(w[b].dmin));
        for (int t = 0; t < NT; ++t) {
            const __m256 dx = _mm256_broadcast_ss(&x[t][b].d);
            const __m256i minSums = _mm256_madd_epi16(load(x[t][b].bsums), minsv); // Σ m·Σx, spread over lanes
            acc[t] = _mm256_fmadd_ps(_mm256_mul_ps(d, dx), _mm256_cvtepi32_ps(sumi[t]), acc[t]);
            acc[t] = _mm256_fnmadd_ps(_mm256_mul_ps(dmin, dx), _mm256_cvtepi32_ps(minSums), acc[t]);
        }
    }
    for (int t = 0; t < NT; ++t) out[t] = sumLanes(acc[t]);
}

// Q6_K: per half, four runs of 32 six-bit values (0–63, zero point 32 folded in via bsums).
template <int NT>
LUCENT_AVX2 inline void dotQ6_K(const BlockQ6_K* w, const ActivationBlock256* const* x, size_t blocks, float* out) {
    __m256 acc[NT];
    for (int t = 0; t < NT; ++t) acc[t] = _mm256_setzero_ps();
    const __m256i low4 = _mm256_set1_epi8(15), low2 = _mm256_set1_epi8(3);
    for (size_t b = 0; b < blocks; ++b) {
        __m256i sumi[NT];
        for (int t = 0; t < NT; ++t) sumi[t] = _mm256_setzero_si256();
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
                for (int t = 0; t < NT; ++t) {
                    const __m256i products = _mm256_maddubs_epi16(q[r], load(x[t][b].qs + 128 * h + 32 * r));
                    sumi[t] = _mm256_add_epi32(sumi[t], _mm256_madd_epi16(products, scales));
                }
            }
        }
        // The zero point 32: Σ s_k·Σ(q−32)·x = Σ s_k·Σq·x − 32·Σ s_k·Σx over the 16-sums of x.
        const __m256i scales16 = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w[b].scales)));
        const __m256 d = _mm256_set1_ps(half(w[b].d));
        for (int t = 0; t < NT; ++t) {
            const __m256i offset = _mm256_slli_epi32(_mm256_madd_epi16(load(x[t][b].bsums), scales16), 5);
            acc[t] = _mm256_fmadd_ps(_mm256_mul_ps(d, _mm256_broadcast_ss(&x[t][b].d)), _mm256_cvtepi32_ps(_mm256_sub_epi32(sumi[t], offset)), acc[t]);
        }
    }
    for (int t = 0; t < NT; ++t) out[t] = sumLanes(acc[t]);
}

// A type's kernels: tokens<NT> multiplies one row with NT tokens, rows<NR> NR rows with one token.
template <typename Block> struct Legacy {
    template <int NT> LUCENT_AVX2 static void tokens(const Block* w, const ActivationBlock32* const* x, size_t blocks, float* out) {
        dot32<Block, NT>(w, x, blocks, out);
    }
    template <int NR> LUCENT_AVX2 static void rows(const uint8_t* w, size_t stride, const ActivationBlock32* x, size_t blocks, float* out) {
        dot32Rows<Block, NR>(w, stride, x, blocks, out);
    }
};
// The K-quants unpack a 256-weight block with enough work per byte that one row at a time keeps
// the core busy; their rows<NR> is NR single-token passes.
template <typename Block, typename Derived> struct RowByRow {
    template <int NR> LUCENT_AVX2 static void rows(const uint8_t* w, size_t stride, const ActivationBlock256* x, size_t blocks, float* out) {
        for (int r = 0; r < NR; ++r) Derived::template tokens<1>(reinterpret_cast<const Block*>(w + size_t(r) * stride), &x, blocks, out + r);
    }
};
template <bool fiveBit, typename Block> struct KQuant45 : RowByRow<Block, KQuant45<fiveBit, Block>> {
    template <int NT> LUCENT_AVX2 static void tokens(const Block* w, const ActivationBlock256* const* x, size_t blocks, float* out) {
        dotK45<fiveBit, Block, NT>(w, x, blocks, out);
    }
};
struct Q6K : RowByRow<BlockQ6_K, Q6K> {
    template <int NT> LUCENT_AVX2 static void tokens(const BlockQ6_K* w, const ActivationBlock256* const* x, size_t blocks, float* out) {
        dotQ6_K<NT>(w, x, blocks, out);
    }
};

// Tokens t … t+NT−1 against one row.
template <typename Block, typename Activation, int NT, typename Kernel>
LUCENT_AVX2 inline void tokenGroup(const Block* w, size_t blocks, const uint8_t* activations, size_t activationStride, size_t t, float* y,
                                   size_t yStride) {
    const Activation* x[NT];
    float out[NT];
    for (int i = 0; i < NT; ++i) x[i] = reinterpret_cast<const Activation*>(activations + (t + size_t(i)) * activationStride);
    Kernel::template tokens<NT>(w, x, blocks, out);
    for (int i = 0; i < NT; ++i) y[(t + size_t(i)) * yStride] = out[i];
}

// Rows r … r+NR−1 against one token.
template <typename Activation, int NR, typename Kernel>
LUCENT_AVX2 inline void rowGroup(const uint8_t* rows, size_t stride, size_t blocks, const Activation* x, size_t r, float* y) {
    float out[NR];
    Kernel::template rows<NR>(rows + r * stride, stride, x, blocks, out);
    for (int i = 0; i < NR; ++i) y[r + size_t(i)] = out[i];
}

// Rows × tokens: four tokens per pass over a row; the 1–3 tokens left over (a decoded token is
// one) go four rows per pass over the token.
template <typename Block, typename Activation, int blockSize, typename Kernel>
LUCENT_AVX2 void rowsTimesTokens(const uint8_t* rows, size_t stride, size_t n, const uint8_t* activations, size_t activationStride,
                                 size_t nTokens, float* y, size_t yStride, size_t count) {
    const size_t blocks = n / blockSize, grouped = nTokens / 4 * 4;
    for (size_t r = 0; r < count && grouped > 0; ++r) {
        const Block* w = reinterpret_cast<const Block*>(rows + r * stride);
        for (size_t t = 0; t < grouped; t += 4) tokenGroup<Block, Activation, 4, Kernel>(w, blocks, activations, activationStride, t, y + r, yStride);
    }
    for (size_t t = grouped; t < nTokens; ++t) {
        const Activation* x = reinterpret_cast<const Activation*>(activations + t * activationStride);
        float* yt = y + t * yStride;
        size_t r = 0;
        for (; r + 4 <= count; r += 4) rowGroup<Activation, 4, Kernel>(rows, stride, blocks, x, r, yt);
        switch (count - r) {
        case 3: rowGroup<Activation, 3, Kernel>(rows, stride, blocks, x, r, yt); break;
        case 2: rowGroup<Activation, 2, Kernel>(rows, stride, blocks, x, r, yt); break;
        case 1: rowGroup<Activation, 1, Kernel>(rows, stride, blocks, x, r, yt); break;
        default: break;
        }
    }
}

} // namespace

LUCENT_AVX2 bool LUCENT_QUANT_DOT_ENTRY(TensorType type, const uint8_t* rows, size_t stride, size_t n, const uint8_t* x, size_t xStride,
                                  size_t nTokens, float* y, size_t yStride, size_t count) {
    switch (type) {
    case TensorType::Q4_0: rowsTimesTokens<BlockQ4_0, ActivationBlock32, 32, Legacy<BlockQ4_0>>(rows, stride, n, x, xStride, nTokens, y, yStride, count); return true;
    case TensorType::Q4_1: rowsTimesTokens<BlockQ4_1, ActivationBlock32, 32, Legacy<BlockQ4_1>>(rows, stride, n, x, xStride, nTokens, y, yStride, count); return true;
    case TensorType::Q5_0: rowsTimesTokens<BlockQ5_0, ActivationBlock32, 32, Legacy<BlockQ5_0>>(rows, stride, n, x, xStride, nTokens, y, yStride, count); return true;
    case TensorType::Q5_1: rowsTimesTokens<BlockQ5_1, ActivationBlock32, 32, Legacy<BlockQ5_1>>(rows, stride, n, x, xStride, nTokens, y, yStride, count); return true;
    case TensorType::Q8_0: rowsTimesTokens<BlockQ8_0, ActivationBlock32, 32, Legacy<BlockQ8_0>>(rows, stride, n, x, xStride, nTokens, y, yStride, count); return true;
    case TensorType::Q4_K: rowsTimesTokens<BlockQ4_K, ActivationBlock256, 256, KQuant45<false, BlockQ4_K>>(rows, stride, n, x, xStride, nTokens, y, yStride, count); return true;
    case TensorType::Q5_K: rowsTimesTokens<BlockQ5_K, ActivationBlock256, 256, KQuant45<true, BlockQ5_K>>(rows, stride, n, x, xStride, nTokens, y, yStride, count); return true;
    case TensorType::Q6_K: rowsTimesTokens<BlockQ6_K, ActivationBlock256, 256, Q6K>(rows, stride, n, x, xStride, nTokens, y, yStride, count); return true;
    default: return false;
    }
}

} // namespace lucent::detail

#else

namespace lucent::detail {
bool quantDotRowsAvx2(TensorType, const uint8_t*, size_t, size_t, const uint8_t*, size_t, size_t, float*, size_t, size_t) { return false; }
bool quantDotRowsAvxVnni(TensorType, const uint8_t*, size_t, size_t, const uint8_t*, size_t, size_t, float*, size_t, size_t) { return false; }
} // namespace lucent::detail

#endif
