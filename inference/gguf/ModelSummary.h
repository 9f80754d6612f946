#pragma once
/// @file
/// @brief What a GGUF says about the model it holds, for `lucent-cli info` and the model library.

#include "inference/gguf/GgufFile.h"

#include <cstdint>
#include <map>
#include <string>

namespace lucent {

/// @brief The headline facts of a model file.
struct ModelSummary {
    std::string architecture; ///< general.architecture
    std::string name;         ///< general.name (may be empty)
    uint64_t parameters = 0;  ///< sum of all tensor elements
    uint64_t layers = 0;
    uint64_t embeddingLength = 0;
    uint64_t contextLength = 0;   ///< <arch>.context_length (training context)
    std::string fileType;         ///< "Q4_K_M", from general.file_type or the dominant tensor type
    std::map<std::string, uint64_t> tensorTypes; ///< tensor count per type name
    bool hasChatTemplate = false;
};

/// @brief Summarizes `file`; a file without general.architecture is an error.
Expected<ModelSummary> summarizeModel(const GgufFile& file);

/// @brief llama.cpp's name for a general.file_type number ("Q4_K_M" for 15), or empty if unknown.
std::string llamaFileTypeName(uint64_t fileType);

} // namespace lucent
