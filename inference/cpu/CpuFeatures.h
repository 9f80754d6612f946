#pragma once
/// @file
/// @brief What the CPU running Lucent can do, asked once: the kernels pick their ISA from it.

namespace lucent {

/// @brief AVX2 with FMA and F16C (every kernel in the *Avx2.cpp files needs all three).
bool cpuHasAvx2();
/// @brief AVX2 as above plus AVX-VNNI (vpdpbusd on 256-bit registers).
bool cpuHasAvxVnni();
/// @brief AVX2 as above plus AVX-512 F/BW/DQ/VL and VNNI.
bool cpuHasAvx512Vnni();

} // namespace lucent
