#include "inference/cpu/InterleavedQ4_0.h"

#include "inference/cpu/CpuFeatures.h"
#include "inference/cpu/DotProduct.h"
#include "inference/cpu/QuantizedActivations.h"
#include "inference/quant/BlockFormats.h"

#include <cstring>

namespace lucent {
namespace {

constexpr size_t kRunBytes = 4;                             // bytes of one row in a 32-byte run
constexpr size_t kRuns = sizeof(BlockQ4_0::qs) / kRunBytes; // 4 runs per block
constexpr size_t kGroupBlockWeights = kInterleavedRows * sizeof(BlockQ4_0::qs); // 128 bytes
constexpr size_t kGroupBlockScales = kInterleavedRows * sizeof(uint16_t);       // 16 bytes
static_assert(kGroupBlockWeights + kGroupBlockScales == kInterleavedRows * sizeof(BlockQ4_0));

const bool kHasAvx2 = cpuHasAvx2();
const bool kHasAvxVnni = cpuHasAvxVnni();

// Byte j of row i's block b in the group (j < 16): where the layout put it.
size_t weightOffset(size_t b, size_t i, size_t j) {
    return b * kGroupBlockWeights + (j / kRunBytes) * kInterleavedRows * kRunBytes + i * kRunBytes + j % kRunBytes;
}

} // namespace

bool interleavedQ4_0Supported() { return kHasAvx2; }

bool canInterleaveQ4_0(const WeightView& w) { return w.type == TensorType::Q4_0 && w.rows % kInterleavedRows == 0 && w.cols % 32 == 0; }

void interleaveQ4_0(const WeightView& w, uint8_t* out) { interleaveQ4_0(w, out, 0, w.rows / kInterleavedRows); }

void interleaveQ4_0(const WeightView& w, uint8_t* out, size_t firstGroup, size_t endGroup) {
    const size_t blocks = w.cols / 32, groupBytes = blocks * (kGroupBlockWeights + kGroupBlockScales);
    for (size_t g = firstGroup; g < endGroup; ++g) {
        uint8_t* group = out + g * groupBytes;
        uint8_t* scales = group + blocks * kGroupBlockWeights;
        for (size_t i = 0; i < kInterleavedRows; ++i) {
            const auto* row = reinterpret_cast<const BlockQ4_0*>(w.row(g * kInterleavedRows + i));
            for (size_t b = 0; b < blocks; ++b) {
                for (size_t k = 0; k < kRuns; ++k) std::memcpy(group + weightOffset(b, i, k * kRunBytes), row[b].qs + k * kRunBytes, kRunBytes);
                std::memcpy(scales + b * kGroupBlockScales + i * sizeof(uint16_t), &row[b].d, sizeof(uint16_t));
            }
        }
    }
}

void quantDotInterleavedQ4_0Portable(const uint8_t* groups, size_t n, const uint8_t* activations, size_t activationStride,
                                     size_t nTokens, float* y, size_t yStride, size_t groupCount) {
    const size_t blocks = n / 32, groupBytes = blocks * (kGroupBlockWeights + kGroupBlockScales);
    for (size_t g = 0; g < groupCount; ++g) {
        const uint8_t* group = groups + g * groupBytes;
        const uint8_t* scales = group + blocks * kGroupBlockWeights;
        for (size_t t = 0; t < nTokens; ++t) {
            const auto* x = reinterpret_cast<const ActivationBlock32*>(activations + t * activationStride);
            for (size_t i = 0; i < kInterleavedRows; ++i) {
                // The arithmetic of QuantDot.cpp's dotQ4_0, in the same order.
                float sum = 0.0f;
                for (size_t b = 0; b < blocks; ++b) {
                    int sumi = 0;
                    for (size_t j = 0; j < 16; ++j) {
                        const uint8_t q = group[weightOffset(b, i, j)];
                        sumi += ((q & 15) - 8) * x[b].qs[j] + ((q >> 4) - 8) * x[b].qs[j + 16];
                    }
                    uint16_t d;
                    std::memcpy(&d, scales + b * kGroupBlockScales + i * sizeof(uint16_t), sizeof d);
                    sum += halfBitsToFloat(d) * x[b].d * float(sumi);
                }
                y[t * yStride + g * kInterleavedRows + i] = sum;
            }
        }
    }
}

void quantDotInterleavedQ4_0(const uint8_t* groups, size_t n, const uint8_t* activations, size_t activationStride, size_t nTokens,
                             float* y, size_t yStride, size_t groupCount) {
    if (kHasAvxVnni && detail::quantDotInterleavedQ4_0AvxVnni(groups, n, activations, activationStride, nTokens, y, yStride, groupCount)) return;
    if (kHasAvx2 && detail::quantDotInterleavedQ4_0Avx2(groups, n, activations, activationStride, nTokens, y, yStride, groupCount)) return;
    quantDotInterleavedQ4_0Portable(groups, n, activations, activationStride, nTokens, y, yStride, groupCount);
}

} // namespace lucent
