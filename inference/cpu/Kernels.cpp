#include "inference/cpu/Kernels.h"

#include "inference/quant/Fp16.h"

#include <algorithm>
#include <cmath>

namespace lucent {

void rmsNorm(float* out, const float* x, const float* weight, size_t n, float eps) {
    double sumSquares = 0.0;
    for (size_t i = 0; i < n; ++i) sumSquares += double(x[i]) * double(x[i]);
    const float scale = 1.0f / std::sqrt(float(sumSquares / double(n)) + eps);
    for (size_t i = 0; i < n; ++i) out[i] = x[i] * scale * weight[i];
}

float ropeAngle(int pos, int i, int nRot, float base, const float* freqFactors) {
    const float step = std::pow(base, -2.0f / float(nRot));
    float theta = float(pos);
    for (int k = 0; k < i; ++k) theta *= step;
    return freqFactors ? theta / freqFactors[i] : theta;
}

void rope(float* vec, int nHeads, int headDim, int nRot, int pos, RopePairing pairing, float base, const float* freqFactors) {
    // Angles once per call, shared by all heads; nRot ≤ head_dim ≤ a few hundred.
    constexpr int kMaxPairs = 512;
    float cosines[kMaxPairs], sines[kMaxPairs];
    const int pairs = std::min(nRot / 2, kMaxPairs);
    const float step = std::pow(base, -2.0f / float(nRot));
    float theta = float(pos);
    for (int i = 0; i < pairs; ++i) {
        const float angle = freqFactors ? theta / freqFactors[i] : theta;
        cosines[i] = std::cos(angle);
        sines[i] = std::sin(angle);
        theta *= step;
    }
    for (int h = 0; h < nHeads; ++h) {
        float* head = vec + size_t(h) * size_t(headDim);
        for (int i = 0; i < pairs; ++i) {
            const int a = pairing == RopePairing::Norm ? 2 * i : i;
            const int b = pairing == RopePairing::Norm ? 2 * i + 1 : i + nRot / 2;
            const float x0 = head[a], x1 = head[b];
            head[a] = x0 * cosines[i] - x1 * sines[i];
            head[b] = x0 * sines[i] + x1 * cosines[i];
        }
    }
}

void softmax(float* x, size_t n) {
    const float maxValue = *std::max_element(x, x + n);
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i) {
        x[i] = std::exp(x[i] - maxValue);
        sum += x[i];
    }
    const float inverse = float(1.0 / sum);
    for (size_t i = 0; i < n; ++i) x[i] *= inverse;
}

void swiglu(float* gate, const float* up, size_t n) {
    for (size_t i = 0; i < n; ++i) gate[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

void addInPlace(float* y, const float* x, size_t n) {
    for (size_t i = 0; i < n; ++i) y[i] += x[i];
}

void toHalf(uint16_t* out, const float* x, size_t n) {
    for (size_t i = 0; i < n; ++i) out[i] = floatToHalf(x[i]);
}

} // namespace lucent
