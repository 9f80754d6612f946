#include "inference/quant/TensorType.h"

#include <array>
#include <cctype>

namespace lucent {
namespace {

constexpr std::array kTypes = {
    TensorTypeInfo{TensorType::F32, "F32", 1, 4},
    TensorTypeInfo{TensorType::F16, "F16", 1, 2},
    TensorTypeInfo{TensorType::Q4_0, "Q4_0", 32, 18},
    TensorTypeInfo{TensorType::Q4_1, "Q4_1", 32, 20},
    TensorTypeInfo{TensorType::Q5_0, "Q5_0", 32, 22},
    TensorTypeInfo{TensorType::Q5_1, "Q5_1", 32, 24},
    TensorTypeInfo{TensorType::Q8_0, "Q8_0", 32, 34},
    TensorTypeInfo{TensorType::Q4_K, "Q4_K", 256, 144},
    TensorTypeInfo{TensorType::Q5_K, "Q5_K", 256, 176},
    TensorTypeInfo{TensorType::Q6_K, "Q6_K", 256, 210},
    TensorTypeInfo{TensorType::BF16, "BF16", 1, 2},
};

// Names of ggml types Lucent does not run, so an error can say what the file holds.
constexpr std::array<std::string_view, 40> kGgmlNames = {
    "F32",     "F16",     "Q4_0",   "Q4_1",  "Q4_2",   "Q4_3",    "Q5_0",  "Q5_1",  "Q8_0",
    "Q8_1",    "Q2_K",    "Q3_K",   "Q4_K",  "Q5_K",   "Q6_K",    "Q8_K",  "IQ2_XXS", "IQ2_XS",
    "IQ3_XXS", "IQ1_S",   "IQ4_NL", "IQ3_S", "IQ2_S",  "IQ4_XS",  "I8",    "I16",   "I32",
    "I64",     "F64",     "IQ1_M",  "BF16",  "Q4_0_4_4", "Q4_0_4_8", "Q4_0_8_8", "TQ1_0",
    "TQ2_0",   "IQ4_NL_4_4", "IQ4_NL_4_8", "IQ4_NL_8_8", "MXFP4"};

} // namespace

std::optional<TensorTypeInfo> tensorTypeInfo(uint32_t ggmlTypeId) {
    for (const auto& info : kTypes)
        if (static_cast<uint32_t>(info.type) == ggmlTypeId) return info;
    return std::nullopt;
}

const TensorTypeInfo& tensorTypeInfo(TensorType type) {
    for (const auto& info : kTypes)
        if (info.type == type) return info;
    return kTypes[0]; // unreachable for valid enum values
}

std::string_view tensorTypeName(TensorType type) { return tensorTypeInfo(type).name; }

std::optional<TensorType> tensorTypeFromName(std::string_view name) {
    for (const auto& info : kTypes) {
        if (info.name.size() != name.size()) continue;
        bool same = true;
        for (size_t i = 0; i < name.size(); ++i)
            same = same && std::toupper(static_cast<unsigned char>(name[i])) == info.name[i];
        if (same) return info.type;
    }
    return std::nullopt;
}

std::string_view ggmlTypeName(uint32_t ggmlTypeId) {
    return ggmlTypeId < kGgmlNames.size() ? kGgmlNames[ggmlTypeId] : std::string_view("unknown");
}

} // namespace lucent
