#include "inference/quant/Fp16.h"

#include <bit>

namespace lucent {

float halfToFloat(uint16_t bits) {
    const uint32_t sign = uint32_t(bits & 0x8000u) << 16;
    const uint32_t exponent = (bits >> 10) & 0x1fu;
    uint32_t mantissa = bits & 0x3ffu;
    uint32_t out;
    if (exponent == 0x1f) { // inf / NaN
        out = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent != 0) { // normal
        out = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) { // ±0
        out = sign;
    } else { // subnormal half → normal float
        int shift = 0;
        while ((mantissa & 0x400u) == 0) {
            mantissa <<= 1;
            ++shift;
        }
        mantissa &= 0x3ffu;
        out = sign | (uint32_t(113 - shift) << 23) | (mantissa << 13);
    }
    return std::bit_cast<float>(out);
}

uint16_t floatToHalf(float value) {
    const uint32_t bits = std::bit_cast<uint32_t>(value);
    const uint16_t sign = uint16_t((bits >> 16) & 0x8000u);
    const uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude > 0x7f800000u) return uint16_t(sign | 0x7e00u | ((bits >> 13) & 0x3ffu)); // NaN
    if (magnitude >= 0x477ff000u) return uint16_t(sign | 0x7c00u); // rounds to ≥ 65520 → inf
    if (magnitude >= 0x38800000u) { // normal half range
        const uint32_t rounded = magnitude + 0xfffu + ((magnitude >> 13) & 1u);
        return uint16_t(sign | ((rounded - 0x38000000u) >> 13));
    }
    if (magnitude < 0x33000000u) return sign; // below half of the smallest subnormal → ±0
    // Subnormal half: shift the mantissa (with its implicit 1) into place, rounding to nearest even.
    const uint32_t exponent = magnitude >> 23;
    const uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126 - exponent; // 14..24 for this range
    const uint32_t halfMantissa = mantissa >> shift;
    const uint32_t remainder = mantissa & ((1u << shift) - 1);
    const uint32_t halfway = 1u << (shift - 1);
    const uint32_t roundUp = remainder > halfway || (remainder == halfway && (halfMantissa & 1u));
    return uint16_t(sign | (halfMantissa + roundUp));
}

float bf16ToFloat(uint16_t bits) { return std::bit_cast<float>(uint32_t(bits) << 16); }

uint16_t floatToBf16(float value) {
    const uint32_t bits = std::bit_cast<uint32_t>(value);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return uint16_t((bits >> 16) | 0x40u); // quiet NaN
    return uint16_t((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

} // namespace lucent
