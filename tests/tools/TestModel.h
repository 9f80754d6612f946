#pragma once
/// @file
/// @brief Builds small GGUF models of a real architecture and vocabulary with seeded random
/// weights — the test models of every engine test (no real model can be downloaded in CI).

#include "HfTokenizerFiles.h"
#include "inference/core/Expected.h"
#include "inference/quant/TensorType.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lucent {
class GgufWriter;
}

namespace lucent::testing {

/// @brief Shape and weight type of a test model. Defaults make a 2-layer toy.
struct TestModelSpec {
    std::string arch = "qwen2"; ///< qwen2 | llama | qwen3
    std::string type = "F32";   ///< a TensorType name, or "Q4_K_M" for the llama-quantize mix
    uint32_t nEmbd = 256, nLayer = 2, nHead = 4, nHeadKv = 2, nFf = 512;
    uint32_t headDim = 0; ///< 0: nEmbd / nHead
    uint32_t nCtxTrain = 4096;
    float ropeBase = 10000.0f, eps = 1e-6f;
    bool tied = false;      ///< no output.weight: the LM head reuses token_embd
    bool ropeFreqs = false; ///< llama: add rope_freqs.weight with Llama 3.1's factors (1 … 8)
    uint64_t seed = 1;
    std::string name = "lucent-test-model";
};

/// @brief The weight type the Q4_K_M recipe (ENGINE.md) gives a tensor, or `base` for pure types.
TensorType weightTypeFor(const std::string& mix, const std::string& tensor, int layer, int nLayer, uint64_t rowLength);

/// @brief llama.cpp's general.file_type number for a type name ("Q4_K_M" → 15).
std::optional<uint32_t> llamaFileType(const std::string& type);

/// @brief One tensor the model will hold, before its random values are drawn.
struct PlannedTensor {
    std::string name;
    std::vector<uint64_t> shape; ///< ne0 first
    TensorType type;
    float scale; ///< standard deviation of the random values
    float mean;
    std::vector<float> values; ///< fixed values instead of random ones (rope_freqs)
};

/// @brief Llama 3.1's RoPE frequency factors (rope_freqs.weight): 1 for short wavelengths, `factor` for
/// long ones, a smooth ramp between — what the converter writes for rope_scaling type "llama3".
std::vector<float> llama3RopeFactors(uint32_t headDim, float ropeBase, float factor = 8.0f, float lowFreqFactor = 1.0f,
                                     float highFreqFactor = 4.0f, float originalContext = 8192.0f);

/// @brief Every tensor of the model in file order (names and shapes as llama.cpp expects them).
Expected<std::vector<PlannedTensor>> planTensors(const TestModelSpec& spec, uint64_t nVocab);

/// @brief Writes the tokenizer.ggml.* keys (and the chat template) of `vocab`.
void addVocabularyMetadata(GgufWriter& writer, const GgufVocab& vocab);

/// @brief Writes the model to `path` (atomically). Errors name the bad option.
Expected<void> writeTestModel(const TestModelSpec& spec, const GgufVocab& vocab, const std::string& path);

} // namespace lucent::testing
