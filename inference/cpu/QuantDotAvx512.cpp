// AVX-512 (VNNI) kernels for the two types whose 32-weight blocks make the AVX2 kernels spend
// most of their instructions per block rather than per weight: Q4_0 and Q8_0. A 512-bit register
// holds two blocks, so the unpacking, the byte dot product (vpdpbusd), the int→float conversion
// and the accumulation each run once per two blocks. Built with a per-function target attribute
// and entered only after QuantDot.cpp checked the CPU.
//
// Every (row, token) pair takes the same steps in the same order whichever kernel shape runs it
// (NR rows × NT tokens), so a prompt gives the same bits batched or token by token.
#include "inference/cpu/QuantDot.h"

#if defined(__x86_64__) && defined(__GNUC__)

#include "inference/cpu/QuantizedActivations.h"
#include "inference/quant/BlockFormats.h"

#include <immintrin.h>
#include <type_traits>

// GCC 12's AVX-512 intrinsics pass _mm512_undefined_*() as the unused source of their masked
// builtins, which -Wmaybe-uninitialized reports wherever they are inlined (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

#define LUCENT_AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vnni,avx2,fma,f16c")))

namespace lucent::detail {
namespace {

LUCENT_AVX512 inline __m256i load256(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
LUCENT_AVX512 inline __m128i load128(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }

// Lanes 0–7 from `first`, 8–15 from `second`.
LUCENT_AVX512 inline __m512i halves(__m256i first, __m256i second) { return _mm512_inserti64x4(_mm512_zextsi256_si512(first), second, 1); }

// Blocks b and b+1 of a row as 64 unsigned bytes in the activations' order. `pair` false: the
// last block of an odd count, the second half zero.
template <typename Block>
LUCENT_AVX512 inline __m512i pairWeights(const Block* w, bool pair) {
    if constexpr (std::is_same_v<Block, BlockQ8_0>) {
        // Signed weights as w + 128 (the zero point 128 comes off through the lane start).
        const __m256i sign = _mm256_set1_epi8(char(0x80));
        const __m256i second = pair ? _mm256_xor_si256(load256(w[1].qs), sign) : _mm256_setzero_si256();
        return halves(_mm256_xor_si256(load256(w[0].qs), sign), second);
    } else {
        // 16 bytes of nibbles per block: low nibbles are weights 0–15, high ones 16–31.
        const __m128i a = load128(w[0].qs), b = pair ? load128(w[1].qs) : _mm_setzero_si128();
        const __m512i raw = halves(_mm256_set_m128i(_mm_srli_epi16(a, 4), a), _mm256_set_m128i(_mm_srli_epi16(b, 4), b));
        return _mm512_and_si512(raw, _mm512_set1_epi8(15));
    }
}

// The two blocks' d_w as 16 lanes (8 each); a missing second block scales by 0.
template <typename Block>
LUCENT_AVX512 inline __m512 pairScales(const Block* w, bool pair) {
    const __m128 d = _mm_cvtph_ps(_mm_cvtsi32_si128(int(uint32_t(w[0].d) | uint32_t(pair ? w[1].d : 0) << 16)));
    return _mm512_permutexvar_ps(_mm512_set_epi32(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0), _mm512_zextps128_ps512(d));
}

// One token's side of a block pair: its bytes, d_x per lane, and where each lane's integer sum
// starts: −z·Σx spread over the block's 8 lanes (z = 8 for Q4_0, 128 for Q8_0 as w + 128).
struct PairActivations {
    __m512i qs, start;
    __m512 d;
};

template <typename Block>
LUCENT_AVX512 inline PairActivations pairActivations(const ActivationBlock32* x, bool pair) {
    constexpr int laneOffset = std::is_same_v<Block, BlockQ8_0> ? 16 : 1; // z/8
    const __m256i second = pair ? load256(x[1].qs) : _mm256_setzero_si256();
    const int sum1 = pair ? x[1].sum : 0;
    const float d1 = pair ? x[1].d : 0.0f;
    return {halves(load256(x[0].qs), second),
            halves(_mm256_set1_epi32(-laneOffset * x[0].sum), _mm256_set1_epi32(-laneOffset * sum1)),
            _mm512_insertf32x8(_mm512_set1_ps(x[0].d), _mm256_set1_ps(d1), 1)};
}

// Blocks b (and b+1 when `pair`) of NR rows × NT tokens added to the accumulators.
template <typename Block, int NR, int NT, bool pair>
LUCENT_AVX512 inline void pairStep(const Block* const* w, const ActivationBlock32* const* x, size_t b, __m512 (&acc)[NR][NT]) {
    PairActivations xs[NT];
    for (int t = 0; t < NT; ++t) xs[t] = pairActivations<Block>(x[t] + b, pair);
    for (int r = 0; r < NR; ++r) {
        const __m512i qw = pairWeights(w[r] + b, pair);
        const __m512 dw = pairScales(w[r] + b, pair);
        for (int t = 0; t < NT; ++t) {
            const __m512i products = _mm512_dpbusd_epi32(xs[t].start, qw, xs[t].qs);
            acc[r][t] = _mm512_fmadd_ps(_mm512_mul_ps(dw, xs[t].d), _mm512_cvtepi32_ps(products), acc[r][t]);
        }
    }
}

// NR rows × NT tokens over whole rows: out[r·NT + t].
template <typename Block, int NR, int NT>
LUCENT_AVX512 inline void pairKernel(const Block* const* w, const ActivationBlock32* const* x, size_t blocks, float* out) {
    __m512 acc[NR][NT];
    for (int r = 0; r < NR; ++r)
        for (int t = 0; t < NT; ++t) acc[r][t] = _mm512_setzero_ps();
    size_t b = 0;
    for (; b + 2 <= blocks; b += 2) pairStep<Block, NR, NT, true>(w, x, b, acc);
    if (b < blocks) pairStep<Block, NR, NT, false>(w, x, b, acc);
    for (int r = 0; r < NR; ++r)
        for (int t = 0; t < NT; ++t) out[r * NT + t] = _mm512_reduce_add_ps(acc[r][t]);
}

template <typename Block, int NR, int NT>
LUCENT_AVX512 inline void tile(const uint8_t* rows, size_t stride, size_t r, size_t blocks, const uint8_t* activations, size_t activationStride,
                               size_t t, float* y, size_t yStride) {
    const Block* w[NR];
    const ActivationBlock32* x[NT];
    float out[NR * NT];
    for (int i = 0; i < NR; ++i) w[i] = reinterpret_cast<const Block*>(rows + (r + size_t(i)) * stride);
    for (int j = 0; j < NT; ++j) x[j] = reinterpret_cast<const ActivationBlock32*>(activations + (t + size_t(j)) * activationStride);
    pairKernel<Block, NR, NT>(w, x, blocks, out);
    for (int i = 0; i < NR; ++i)
        for (int j = 0; j < NT; ++j) y[(t + size_t(j)) * yStride + r + size_t(i)] = out[i * NT + j];
}

// Four tokens per pass over a row; the 1–3 tokens left over (a decoded token is one) go four
// rows per pass over the token.
template <typename Block>
LUCENT_AVX512 void rowsTimesTokens(const uint8_t* rows, size_t stride, size_t n, const uint8_t* x, size_t xStride, size_t nTokens, float* y,
                                   size_t yStride, size_t count) {
    const size_t blocks = n / 32, grouped = nTokens / 4 * 4;
    for (size_t r = 0; r < count && grouped > 0; ++r)
        for (size_t t = 0; t < grouped; t += 4) tile<Block, 1, 4>(rows, stride, r, blocks, x, xStride, t, y, yStride);
    for (size_t t = grouped; t < nTokens; ++t) {
        size_t r = 0;
        for (; r + 4 <= count; r += 4) tile<Block, 4, 1>(rows, stride, r, blocks, x, xStride, t, y, yStride);
        switch (count - r) {
        case 3: tile<Block, 3, 1>(rows, stride, r, blocks, x, xStride, t, y, yStride); break;
        case 2: tile<Block, 2, 1>(rows, stride, r, blocks, x, xStride, t, y, yStride); break;
        case 1: tile<Block, 1, 1>(rows, stride, r, blocks, x, xStride, t, y, yStride); break;
        default: break;
        }
    }
}

} // namespace

LUCENT_AVX512 bool quantDotRowsAvx512(TensorType type, const uint8_t* rows, size_t stride, size_t n, const uint8_t* x, size_t xStride,
                                      size_t nTokens, float* y, size_t yStride, size_t count) {
    switch (type) {
    case TensorType::Q4_0: rowsTimesTokens<BlockQ4_0>(rows, stride, n, x, xStride, nTokens, y, yStride, count); return true;
    case TensorType::Q8_0: rowsTimesTokens<BlockQ8_0>(rows, stride, n, x, xStride, nTokens, y, yStride, count); return true;
    default: return false;
    }
}

} // namespace lucent::detail

#else

namespace lucent::detail {
bool quantDotRowsAvx512(TensorType, const uint8_t*, size_t, size_t, const uint8_t*, size_t, size_t, float*, size_t, size_t) { return false; }
} // namespace lucent::detail

#endif
