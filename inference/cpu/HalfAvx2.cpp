// fp16 rows (F16 weights, the f16 KV cache) with F16C conversions, 16 values a step. Compiled with
// a per-function target attribute; DotProduct.cpp calls in only after checking the CPU.
#include "inference/cpu/DotProduct.h"

#if defined(__x86_64__) && defined(__GNUC__)

#include <immintrin.h>

#define LUCENT_AVX2 __attribute__((target("avx2,fma,f16c")))

namespace lucent::detail {

LUCENT_AVX2 float dotHalfAvx2(const uint16_t* w, const float* x, size_t n) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256 w0 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i)));
        const __m256 w1 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i + 8)));
        acc0 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x + i), acc0);
        acc1 = _mm256_fmadd_ps(w1, _mm256_loadu_ps(x + i + 8), acc1);
    }
    const __m256 acc = _mm256_add_ps(acc0, acc1);
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    float sum = _mm_cvtss_f32(s);
    for (; i < n; ++i) sum += _cvtsh_ss(w[i]) * x[i];
    return sum;
}

LUCENT_AVX2 void addScaledHalfAvx2(float* y, float a, const uint16_t* x, size_t n) {
    const __m256 scale = _mm256_set1_ps(a);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i)));
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(scale, v, _mm256_loadu_ps(y + i)));
    }
    for (; i < n; ++i) y[i] += a * _cvtsh_ss(x[i]);
}

} // namespace lucent::detail

#else

namespace lucent::detail {
float dotHalfAvx2(const uint16_t*, const float*, size_t) { return 0.0f; }
void addScaledHalfAvx2(float*, float, const uint16_t*, size_t) {}
} // namespace lucent::detail

#endif
