#pragma once
// Normally distributed test inputs (activations, weights before quantization), seeded.
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace lucent::testing {

inline std::vector<float> randomValues(size_t n, uint32_t seed, float mean = 0.0f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(mean, 1.0f);
    std::vector<float> v(n);
    for (auto& x : v) x = normal(rng);
    return v;
}

} // namespace lucent::testing
