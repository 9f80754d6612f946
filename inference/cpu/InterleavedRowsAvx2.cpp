// AVX2 kernels for Q4_0 and Q8_0 rows interleaved eight at a time (InterleavedRows.h). Lane i of
// every vector is row i of the group: a block of eight rows is eight vectors of weights, each met
// by a broadcast 4-byte run of the token's activations, and the eight row sums come out in the
// lanes of one register, with no horizontal sums (the row-major kernels spend about as much on
// those and on unpacking as on the products).
//
// Like QuantDotAvx2.cpp, CMake builds this file twice: as quantDotInterleavedAvx2, and with
// LUCENT_QUANT_DOT_VNNI defined as quantDotInterleavedAvxVnni (vpdpbusd). Both give the same
// integer lanes, so the same bits.
#include "inference/cpu/InterleavedRows.h"

#if defined(__x86_64__) && defined(__GNUC__)

#include "inference/cpu/QuantizedActivations.h"

#include <cstring>
#include <immintrin.h>

#ifdef LUCENT_QUANT_DOT_VNNI
#define LUCENT_AVX2 __attribute__((target("avx2,fma,f16c,avxvnni")))
#define LUCENT_INTERLEAVED_ENTRY quantDotInterleavedAvxVnni
#else
#define LUCENT_AVX2 __attribute__((target("avx2,fma,f16c")))
#define LUCENT_INTERLEAVED_ENTRY quantDotInterleavedAvx2
#endif

namespace lucent::detail {
namespace {

constexpr size_t kBlockScaleBytes = 16; // per block of a group (InterleavedRows.h)
// Decode streams every weight once from RAM: asking 1 KiB ahead beat the hardware prefetcher
// alone by ~10% on one EPYC core for Q4_0 (512–2048 bytes ahead measured alike).
constexpr size_t kPrefetchBytes = 1024;

LUCENT_AVX2 inline __m256i load(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

// 4 activation bytes in every 32-bit lane: x.qs[4j … 4j+3], which weight vector j of a block meets.
LUCENT_AVX2 inline __m256i broadcastRun(const ActivationBlock32& x, int j) {
    int32_t run;
    std::memcpy(&run, x.qs + 4 * j, 4);
    return _mm256_set1_epi32(run);
}

// Q4_0: a block of the group as eight vectors of unsigned nibbles: q[k] (k < 4) are the low
// nibbles of run k, weights 4k…4k+3 of each row; q[4+k] the high nibbles, weights 16+4k…16+4k+3.
struct Q4_0Rows {
    static constexpr size_t kBlockWeightBytes = 128;
    struct Block {
        __m256i q[8];
    };

    LUCENT_AVX2 static Block unpack(const uint8_t* weights) {
        const __m256i low4 = _mm256_set1_epi8(15);
        Block b;
        for (int k = 0; k < 4; ++k) {
            const __m256i raw = load(weights + 32 * k);
            b.q[k] = _mm256_and_si256(raw, low4);
            b.q[4 + k] = _mm256_and_si256(_mm256_srli_epi16(raw, 4), low4);
        }
        return b;
    }

    // Σ (q − 8)·x of the block for each of the eight rows, as int32 lanes: Σ q·x − 8·Σx.
    LUCENT_AVX2 static __m256i sums(const Block& b, const ActivationBlock32& x) {
#ifdef LUCENT_QUANT_DOT_VNNI
        __m256i sums = _mm256_set1_epi32(-8 * x.sum);
        for (int j = 0; j < 8; ++j) sums = _mm256_dpbusd_avx_epi32(sums, b.q[j], broadcastRun(x, j));
        return sums;
#else
        // maddubs pairs are ≤ 2·15·128 = 3840 in size, so the eight of a lane sum to ≤ 30720 and
        // fit int16: one madd per block instead of eight.
        __m256i pairs = _mm256_maddubs_epi16(b.q[0], broadcastRun(x, 0));
        for (int j = 1; j < 8; ++j) pairs = _mm256_add_epi16(pairs, _mm256_maddubs_epi16(b.q[j], broadcastRun(x, j)));
        return _mm256_sub_epi32(_mm256_madd_epi16(pairs, _mm256_set1_epi16(1)), _mm256_set1_epi32(8 * x.sum));
#endif
    }
};

// Q8_0: run j of a block is weights 4j…4j+3 of each row, signed. maddubs wants one side
// unsigned: with vpdpbusd (no 16-bit saturation) the weights go in as w + 128 and 128·Σx comes
// off; with AVX2 as |w| against x with w's sign, whose pair sums (≤ 2·128·127) fit int16 but two
// of them do not, so every run is widened to int32 on its own.
struct Q8_0Rows {
    static constexpr size_t kBlockWeightBytes = 256;
    struct Block {
        __m256i u[8]; // w + 128 (VNNI) or |w|
#ifndef LUCENT_QUANT_DOT_VNNI
        __m256i w[8];
#endif
    };

    LUCENT_AVX2 static Block unpack(const uint8_t* weights) {
        Block b;
        for (int j = 0; j < 8; ++j) {
            const __m256i w = load(weights + 32 * j);
#ifdef LUCENT_QUANT_DOT_VNNI
            b.u[j] = _mm256_xor_si256(w, _mm256_set1_epi8(char(0x80)));
#else
            b.u[j] = _mm256_sign_epi8(w, w);
            b.w[j] = w;
#endif
        }
        return b;
    }

    LUCENT_AVX2 static __m256i sums(const Block& b, const ActivationBlock32& x) {
#ifdef LUCENT_QUANT_DOT_VNNI
        __m256i sums = _mm256_set1_epi32(-128 * x.sum);
        for (int j = 0; j < 8; ++j) sums = _mm256_dpbusd_avx_epi32(sums, b.u[j], broadcastRun(x, j));
        return sums;
#else
        const __m256i ones = _mm256_set1_epi16(1);
        __m256i sums = _mm256_madd_epi16(_mm256_maddubs_epi16(b.u[0], _mm256_sign_epi8(broadcastRun(x, 0), b.w[0])), ones);
        for (int j = 1; j < 8; ++j)
            sums = _mm256_add_epi32(sums, _mm256_madd_epi16(_mm256_maddubs_epi16(b.u[j], _mm256_sign_epi8(broadcastRun(x, j), b.w[j])), ones));
        return sums;
#endif
    }
};

// One group × NT tokens: the block is unpacked once for the NT tokens, and each token takes the
// same steps whatever NT is (acc += d_w·d_x·sums), so it gets the same bits batched or not.
template <typename Rows, int NT>
LUCENT_AVX2 inline void groupTimesTokens(const uint8_t* group, size_t blocks, const uint8_t* activations, size_t activationStride,
                                         float* y, size_t yStride) {
    const uint8_t* scales = group + blocks * Rows::kBlockWeightBytes;
    const ActivationBlock32* x[NT];
    __m256 acc[NT];
    for (int t = 0; t < NT; ++t)
        x[t] = reinterpret_cast<const ActivationBlock32*>(activations + size_t(t) * activationStride), acc[t] = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        const uint8_t* weights = group + b * Rows::kBlockWeightBytes;
        // A prefetch past the end of the buffer is harmless.
        for (size_t line = 0; line < Rows::kBlockWeightBytes; line += 64)
            _mm_prefetch(reinterpret_cast<const char*>(weights + kPrefetchBytes + line), _MM_HINT_T0);
        const typename Rows::Block block = Rows::unpack(weights);
        const __m256 d = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(scales + b * kBlockScaleBytes)));
        for (int t = 0; t < NT; ++t) {
            const __m256 sums = _mm256_cvtepi32_ps(Rows::sums(block, x[t][b]));
            acc[t] = _mm256_fmadd_ps(_mm256_mul_ps(d, _mm256_broadcast_ss(&x[t][b].d)), sums, acc[t]);
        }
    }
    for (int t = 0; t < NT; ++t) _mm256_storeu_ps(y + size_t(t) * yStride, acc[t]);
}

template <typename Rows>
LUCENT_AVX2 void groupsTimesTokens(const uint8_t* groups, size_t n, const uint8_t* activations, size_t activationStride, size_t nTokens,
                                   float* y, size_t yStride, size_t groupCount) {
    const size_t blocks = n / 32, groupBytes = blocks * (Rows::kBlockWeightBytes + kBlockScaleBytes);
    for (size_t g = 0; g < groupCount; ++g) {
        const uint8_t* group = groups + g * groupBytes;
        float* yg = y + g * kInterleavedRows;
        // Four tokens per pass over the group; the 1–3 left over (a decoded token is one) after.
        size_t t = 0;
        for (; t + 4 <= nTokens; t += 4)
            groupTimesTokens<Rows, 4>(group, blocks, activations + t * activationStride, activationStride, yg + t * yStride, yStride);
        const uint8_t* rest = activations + t * activationStride;
        float* yRest = yg + t * yStride;
        switch (nTokens - t) {
        case 3: groupTimesTokens<Rows, 3>(group, blocks, rest, activationStride, yRest, yStride); break;
        case 2: groupTimesTokens<Rows, 2>(group, blocks, rest, activationStride, yRest, yStride); break;
        case 1: groupTimesTokens<Rows, 1>(group, blocks, rest, activationStride, yRest, yStride); break;
        default: break;
        }
    }
}

} // namespace

LUCENT_AVX2 bool LUCENT_INTERLEAVED_ENTRY(TensorType type, const uint8_t* groups, size_t n, const uint8_t* activations,
                                          size_t activationStride, size_t nTokens, float* y, size_t yStride, size_t groupCount) {
    switch (type) {
    case TensorType::Q4_0: groupsTimesTokens<Q4_0Rows>(groups, n, activations, activationStride, nTokens, y, yStride, groupCount); return true;
    case TensorType::Q8_0: groupsTimesTokens<Q8_0Rows>(groups, n, activations, activationStride, nTokens, y, yStride, groupCount); return true;
    default: return false;
    }
}

} // namespace lucent::detail

#else

namespace lucent::detail {
bool quantDotInterleavedAvx2(TensorType, const uint8_t*, size_t, const uint8_t*, size_t, size_t, float*, size_t, size_t) { return false; }
bool quantDotInterleavedAvxVnni(TensorType, const uint8_t*, size_t, const uint8_t*, size_t, size_t, float*, size_t, size_t) { return false; }
} // namespace lucent::detail

#endif
