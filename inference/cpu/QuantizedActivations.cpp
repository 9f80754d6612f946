#include "inference/cpu/QuantizedActivations.h"

#include "inference/quant/Fp16.h"

#include <algorithm>
#include <cmath>

namespace lucent {
namespace {

bool isKQuant(TensorType type) { return type == TensorType::Q4_K || type == TensorType::Q5_K || type == TensorType::Q6_K; }

void quantizeBlocks32(const float* x, size_t n, ActivationBlock32* out) {
    for (size_t b = 0; b < n / 32; ++b, x += 32) {
        float amax = 0.0f;
        for (int j = 0; j < 32; ++j) amax = std::max(amax, std::abs(x[j]));
        const float d = amax / 127.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        int32_t sum = 0;
        for (int j = 0; j < 32; ++j) {
            out[b].qs[j] = int8_t(std::lround(x[j] * id));
            sum += out[b].qs[j];
        }
        // The scale is stored in fp16 by llama.cpp; rounding it the same way keeps results alike.
        out[b].d = halfToFloat(floatToHalf(d));
        out[b].sum = sum;
        out[b].sumScaled = halfToFloat(floatToHalf(d * float(sum)));
    }
}

void quantizeBlocks256(const float* x, size_t n, ActivationBlock256* out) {
    for (size_t b = 0; b < n / 256; ++b, x += 256) {
        // Scale from the signed extreme: it maps to −128 exactly, the other sign clamps at 127.
        float amax = 0.0f, extreme = 0.0f;
        for (int j = 0; j < 256; ++j)
            if (std::abs(x[j]) > amax) amax = std::abs(x[j]), extreme = x[j];
        if (amax == 0.0f) {
            out[b] = {};
            continue;
        }
        const float iscale = -128.0f / extreme;
        for (int j = 0; j < 256; ++j) out[b].qs[j] = int8_t(std::min(127, int(std::nearbyint(iscale * x[j]))));
        for (int k = 0; k < 16; ++k) {
            int sum = 0;
            for (int j = 0; j < 16; ++j) sum += out[b].qs[16 * k + j];
            out[b].bsums[k] = int16_t(sum);
        }
        out[b].d = 1.0f / iscale;
    }
}

} // namespace

bool usesQuantizedActivations(TensorType weights) {
    return weights != TensorType::F32 && weights != TensorType::F16 && weights != TensorType::BF16;
}

size_t quantizedActivationBytes(TensorType weights, size_t n) {
    return isKQuant(weights) ? n / 256 * sizeof(ActivationBlock256) : n / 32 * sizeof(ActivationBlock32);
}

void quantizeActivations(TensorType weights, const float* x, size_t n, void* out) {
    if (isKQuant(weights)) quantizeBlocks256(x, n, static_cast<ActivationBlock256*>(out));
    else quantizeBlocks32(x, n, static_cast<ActivationBlock32*>(out));
}

} // namespace lucent
