#include "inference/cpu/InterleavedRows.h"

#include "inference/cpu/CpuFeatures.h"
#include "inference/cpu/DotProduct.h"
#include "inference/cpu/QuantizedActivations.h"
#include "inference/quant/BlockFormats.h"

#include <cstring>

namespace lucent {
namespace {

constexpr size_t kRunBytes = 4;                                           // bytes of one row in a 32-byte run
constexpr size_t kGroupBlockScales = kInterleavedRows * sizeof(uint16_t); // 16 bytes
static_assert(offsetof(BlockQ4_0, qs) == sizeof(uint16_t) && offsetof(BlockQ8_0, qs) == sizeof(uint16_t));

const bool kHasAvx2 = cpuHasAvx2();
const bool kHasAvxVnni = cpuHasAvxVnni();

// Bytes of qs in one row's block: 16 (Q4_0) or 32 (Q8_0).
size_t quantBytes(TensorType type) { return type == TensorType::Q8_0 ? sizeof(BlockQ8_0::qs) : sizeof(BlockQ4_0::qs); }

// Byte j of row i's block b in the group: where the layout put it.
size_t weightOffset(size_t quant, size_t b, size_t i, size_t j) {
    return b * kInterleavedRows * quant + (j / kRunBytes) * kInterleavedRows * kRunBytes + i * kRunBytes + j % kRunBytes;
}

// Σ q·x of row i's block b as QuantDot.cpp's dotQ4_0 / dotQ8_0 sum it, in the same order.
int blockSum(TensorType type, const uint8_t* group, size_t b, size_t i, const ActivationBlock32& x) {
    int sumi = 0;
    if (type == TensorType::Q8_0) {
        for (size_t j = 0; j < 32; ++j) sumi += int8_t(group[weightOffset(32, b, i, j)]) * x.qs[j];
        return sumi;
    }
    for (size_t j = 0; j < 16; ++j) {
        const uint8_t q = group[weightOffset(16, b, i, j)];
        sumi += ((q & 15) - 8) * x.qs[j] + ((q >> 4) - 8) * x.qs[j + 16];
    }
    return sumi;
}

} // namespace

bool interleavedRowsSupported() { return kHasAvx2; }

bool canInterleaveRows(const WeightView& w) {
    return (w.type == TensorType::Q4_0 || w.type == TensorType::Q8_0) && w.rows % kInterleavedRows == 0 && w.cols % 32 == 0;
}

void interleaveRows(const WeightView& w, uint8_t* out) { interleaveRows(w, out, 0, w.rows / kInterleavedRows); }

void interleaveRows(const WeightView& w, uint8_t* out, size_t firstGroup, size_t endGroup) {
    const size_t quant = quantBytes(w.type), blockBytes = sizeof(uint16_t) + quant;
    const size_t blocks = w.cols / 32, groupBytes = kInterleavedRows * blocks * blockBytes;
    for (size_t g = firstGroup; g < endGroup; ++g) {
        uint8_t* group = out + g * groupBytes;
        uint8_t* scales = group + blocks * kInterleavedRows * quant;
        for (size_t i = 0; i < kInterleavedRows; ++i) {
            const uint8_t* row = w.row(g * kInterleavedRows + i);
            for (size_t b = 0; b < blocks; ++b) {
                const uint8_t* block = row + b * blockBytes; // d, then qs
                for (size_t k = 0; k < quant; k += kRunBytes) std::memcpy(group + weightOffset(quant, b, i, k), block + sizeof(uint16_t) + k, kRunBytes);
                std::memcpy(scales + b * kGroupBlockScales + i * sizeof(uint16_t), block, sizeof(uint16_t));
            }
        }
    }
}

void quantDotInterleavedPortable(TensorType type, const uint8_t* groups, size_t n, const uint8_t* activations, size_t activationStride,
                                 size_t nTokens, float* y, size_t yStride, size_t groupCount) {
    const size_t blocks = n / 32, groupBytes = blocks * kInterleavedRows * (sizeof(uint16_t) + quantBytes(type));
    for (size_t g = 0; g < groupCount; ++g) {
        const uint8_t* group = groups + g * groupBytes;
        const uint8_t* scales = group + blocks * kInterleavedRows * quantBytes(type);
        for (size_t t = 0; t < nTokens; ++t) {
            const auto* x = reinterpret_cast<const ActivationBlock32*>(activations + t * activationStride);
            for (size_t i = 0; i < kInterleavedRows; ++i) {
                float sum = 0.0f;
                for (size_t b = 0; b < blocks; ++b) {
                    uint16_t d;
                    std::memcpy(&d, scales + b * kGroupBlockScales + i * sizeof(uint16_t), sizeof d);
                    sum += halfBitsToFloat(d) * x[b].d * float(blockSum(type, group, b, i, x[b]));
                }
                y[t * yStride + g * kInterleavedRows + i] = sum;
            }
        }
    }
}

void quantDotInterleaved(TensorType type, const uint8_t* groups, size_t n, const uint8_t* activations, size_t activationStride,
                         size_t nTokens, float* y, size_t yStride, size_t groupCount) {
    if (kHasAvxVnni && detail::quantDotInterleavedAvxVnni(type, groups, n, activations, activationStride, nTokens, y, yStride, groupCount)) return;
    if (kHasAvx2 && detail::quantDotInterleavedAvx2(type, groups, n, activations, activationStride, nTokens, y, yStride, groupCount)) return;
    quantDotInterleavedPortable(type, groups, n, activations, activationStride, nTokens, y, yStride, groupCount);
}

} // namespace lucent
