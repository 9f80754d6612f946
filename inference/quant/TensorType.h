#pragma once
/// @file
/// @brief The ggml tensor types Lucent knows: ids as stored in GGUF, block sizes, byte sizes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace lucent {

/// @brief ggml_type ids as written in GGUF tensor infos (only the ones Lucent supports).
enum class TensorType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    BF16 = 30,
};

/// @brief Layout facts of one tensor type.
struct TensorTypeInfo {
    TensorType type;
    std::string_view name; ///< "Q4_K", as llama.cpp prints it
    uint32_t blockSize;    ///< weights per block (1 for float types)
    uint32_t blockBytes;   ///< bytes per block
};

/// @brief Facts for a raw ggml type id, or nothing when Lucent does not support it.
std::optional<TensorTypeInfo> tensorTypeInfo(uint32_t ggmlTypeId);
/// @brief Facts for a supported type.
const TensorTypeInfo& tensorTypeInfo(TensorType type);
/// @brief "Q4_K" for Q4_K; "type 23" style names are the caller's job for unknown ids.
std::string_view tensorTypeName(TensorType type);
/// @brief Looks a type up by its name ("q4_k" and "Q4_K" both work).
std::optional<TensorType> tensorTypeFromName(std::string_view name);
/// @brief Name of any ggml type id, including ones Lucent cannot run ("IQ2_XXS"), for messages.
std::string_view ggmlTypeName(uint32_t ggmlTypeId);

/// @brief Bytes of one row of `n` weights; `n` must be a multiple of the block size.
inline size_t rowBytes(TensorType type, size_t n) {
    const auto& info = tensorTypeInfo(type);
    return n / info.blockSize * info.blockBytes;
}

} // namespace lucent
