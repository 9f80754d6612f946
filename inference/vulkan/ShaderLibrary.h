#pragma once
/// @file
/// @brief The compute shaders compiled at build time (shaders/*.comp → glslc → SPIR-V words
/// embedded in the binary by shaders/EmbedSpirv.cmake).

#include <cstdint>
#include <span>
#include <string_view>

namespace lucent::vk {

/// @brief The SPIR-V of shader `name` ("rmsnorm", "matvec_q4_k", …); empty when there is none.
std::span<const uint32_t> embeddedShader(std::string_view name);

} // namespace lucent::vk
