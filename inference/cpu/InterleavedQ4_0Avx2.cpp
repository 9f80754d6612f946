// AVX2 kernel for Q4_0 rows interleaved eight at a time (InterleavedQ4_0.h). Lane i of every
// vector is row i of the group: a block of eight rows is four 32-byte loads, eight broadcasts of
// the token's 4-byte runs and eight multiply-adds, and the eight row sums come out in the lanes
// of one register, with no horizontal sums (the row-major kernels spend about as much on those
// and on unpacking as on the products).
//
// Like QuantDotAvx2.cpp, CMake builds this file twice: as quantDotInterleavedQ4_0Avx2, and with
// LUCENT_QUANT_DOT_VNNI defined as quantDotInterleavedQ4_0AvxVnni (vpdpbusd). Both give the same
// integer lanes, so the same bits.
#include "inference/cpu/InterleavedQ4_0.h"

#if defined(__x86_64__) && defined(__GNUC__)

#include "inference/cpu/QuantizedActivations.h"

#include <cstring>
#include <immintrin.h>

#ifdef LUCENT_QUANT_DOT_VNNI
#define LUCENT_AVX2 __attribute__((target("avx2,fma,f16c,avxvnni")))
#define LUCENT_INTERLEAVED_ENTRY quantDotInterleavedQ4_0AvxVnni
#else
#define LUCENT_AVX2 __attribute__((target("avx2,fma,f16c")))
#define LUCENT_INTERLEAVED_ENTRY quantDotInterleavedQ4_0Avx2
#endif

namespace lucent::detail {
namespace {

constexpr size_t kBlockWeightBytes = 128, kBlockScaleBytes = 16; // per block of a group (InterleavedQ4_0.h)
constexpr size_t kPrefetchBytes = 8 * kBlockWeightBytes;

LUCENT_AVX2 inline __m256i load(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

// 4 activation bytes in every 32-bit lane.
LUCENT_AVX2 inline __m256i broadcastRun(const int8_t* p) {
    int32_t run;
    std::memcpy(&run, p, 4);
    return _mm256_set1_epi32(run);
}

// A block of the group as eight vectors of unsigned nibbles: q[k] (k < 4) are the low nibbles of
// run k, weights 4k…4k+3 of each row; q[4+k] the high nibbles, weights 16+4k…16+4k+3. So q[j]
// pairs with the activation bytes 4j…4j+3 for every j.
LUCENT_AVX2 inline void unpack(const uint8_t* weights, __m256i* q) {
    const __m256i low4 = _mm256_set1_epi8(15);
    for (int k = 0; k < 4; ++k) {
        const __m256i raw = load(weights + 32 * k);
        q[k] = _mm256_and_si256(raw, low4);
        q[4 + k] = _mm256_and_si256(_mm256_srli_epi16(raw, 4), low4);
    }
}

// Σ (q − 8)·x of the block for each of the eight rows, as int32 lanes: Σ q·x − 8·Σx.
LUCENT_AVX2 inline __m256i blockSums(const __m256i* q, const ActivationBlock32& x) {
#ifdef LUCENT_QUANT_DOT_VNNI
    __m256i sums = _mm256_set1_epi32(-8 * x.sum);
    for (int j = 0; j < 8; ++j) sums = _mm256_dpbusd_avx_epi32(sums, q[j], broadcastRun(x.qs + 4 * j));
    return sums;
#else
    // maddubs pairs are ≤ 2·15·128 = 3840 in size, so the eight of a lane sum to ≤ 30720 and
    // fit int16: one madd per block instead of eight.
    __m256i pairs = _mm256_maddubs_epi16(q[0], broadcastRun(x.qs));
    for (int j = 1; j < 8; ++j) pairs = _mm256_add_epi16(pairs, _mm256_maddubs_epi16(q[j], broadcastRun(x.qs + 4 * j)));
    return _mm256_sub_epi32(_mm256_madd_epi16(pairs, _mm256_set1_epi16(1)), _mm256_set1_epi32(8 * x.sum));
#endif
}

// One group × NT tokens: the block is unpacked once for the NT tokens, and each token takes the
// same steps whatever NT is (acc += d_w·d_x·sums), so it gets the same bits batched or not.
template <int NT>
LUCENT_AVX2 inline void groupTimesTokens(const uint8_t* group, size_t blocks, const uint8_t* activations, size_t activationStride,
                                         float* y, size_t yStride) {
    const uint8_t* scales = group + blocks * kBlockWeightBytes;
    const ActivationBlock32* x[NT];
    __m256 acc[NT];
    for (int t = 0; t < NT; ++t)
        x[t] = reinterpret_cast<const ActivationBlock32*>(activations + size_t(t) * activationStride), acc[t] = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        __m256i q[8];
        // Decode streams every weight once from RAM: asking 8 blocks ahead beat the hardware
        // prefetcher alone by ~10% on one EPYC core (512–2048 bytes ahead measured alike).
        // A prefetch past the end of the buffer is harmless.
        const char* ahead = reinterpret_cast<const char*>(group + b * kBlockWeightBytes + kPrefetchBytes);
        _mm_prefetch(ahead, _MM_HINT_T0);
        _mm_prefetch(ahead + 64, _MM_HINT_T0);
        unpack(group + b * kBlockWeightBytes, q);
        const __m256 d = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(scales + b * kBlockScaleBytes)));
        for (int t = 0; t < NT; ++t) {
            const __m256 sums = _mm256_cvtepi32_ps(blockSums(q, x[t][b]));
            acc[t] = _mm256_fmadd_ps(_mm256_mul_ps(d, _mm256_broadcast_ss(&x[t][b].d)), sums, acc[t]);
        }
    }
    for (int t = 0; t < NT; ++t) _mm256_storeu_ps(y + size_t(t) * yStride, acc[t]);
}

} // namespace

LUCENT_AVX2 bool LUCENT_INTERLEAVED_ENTRY(const uint8_t* groups, size_t n, const uint8_t* activations, size_t activationStride,
                                          size_t nTokens, float* y, size_t yStride, size_t groupCount) {
    const size_t blocks = n / 32, groupBytes = blocks * (kBlockWeightBytes + kBlockScaleBytes);
    for (size_t g = 0; g < groupCount; ++g) {
        const uint8_t* group = groups + g * groupBytes;
        float* yg = y + g * kInterleavedRows;
        // Four tokens per pass over the group; the 1–3 left over (a decoded token is one) after.
        size_t t = 0;
        for (; t + 4 <= nTokens; t += 4) groupTimesTokens<4>(group, blocks, activations + t * activationStride, activationStride, yg + t * yStride, yStride);
        const uint8_t* rest = activations + t * activationStride;
        float* yRest = yg + t * yStride;
        switch (nTokens - t) {
        case 3: groupTimesTokens<3>(group, blocks, rest, activationStride, yRest, yStride); break;
        case 2: groupTimesTokens<2>(group, blocks, rest, activationStride, yRest, yStride); break;
        case 1: groupTimesTokens<1>(group, blocks, rest, activationStride, yRest, yStride); break;
        default: break;
        }
    }
    return true;
}

} // namespace lucent::detail

#else

namespace lucent::detail {
bool quantDotInterleavedQ4_0Avx2(const uint8_t*, size_t, const uint8_t*, size_t, size_t, float*, size_t, size_t) { return false; }
bool quantDotInterleavedQ4_0AvxVnni(const uint8_t*, size_t, const uint8_t*, size_t, size_t, float*, size_t, size_t) { return false; }
} // namespace lucent::detail

#endif
