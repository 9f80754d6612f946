#pragma once
/// @file
/// @brief IEEE half (fp16) and bfloat16 conversions, bit-exact with round-to-nearest-even.

#include <cstdint>

namespace lucent {

/// @brief fp16 bits → float (exact: every half is a float).
float halfToFloat(uint16_t bits);
/// @brief float → fp16 bits, round to nearest even; overflow → ±inf; NaN stays NaN.
uint16_t floatToHalf(float value);
/// @brief bf16 bits → float (exact).
float bf16ToFloat(uint16_t bits);
/// @brief float → bf16 bits, round to nearest even; NaN stays a (quiet) NaN.
uint16_t floatToBf16(float value);

} // namespace lucent
