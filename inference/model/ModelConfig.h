#pragma once
/// @file
/// @brief The hyperparameters of a transformer, read only from a GGUF's metadata.

#include "inference/core/Expected.h"

#include <cstdint>
#include <string>

namespace lucent {

class GgufFile;

/// @brief The model families Lucent runs.
enum class Architecture {
    Qwen2, ///< q/k/v biases, NEOX RoPE
    Llama, ///< NORM RoPE, optional rope_freqs
    Qwen3, ///< per-head q/k RMS norm before RoPE, NEOX RoPE, no biases
};

/// @brief How RoPE pairs the dimensions of a head.
enum class RopeType {
    Norm, ///< pairs (2i, 2i+1): llama (the converter permutes Q/K rows)
    Neox, ///< pairs (i, i + n_rot/2): qwen2, qwen3
};

/// @brief Everything the forward pass needs to know about a model's shape.
struct ModelConfig {
    Architecture arch = Architecture::Qwen2;
    std::string archName; ///< general.architecture as written ("qwen2")
    uint32_t nLayer = 0;
    uint32_t nEmbd = 0;
    uint32_t nFf = 0;
    uint32_t nHead = 0;
    uint32_t nHeadKv = 0;
    uint32_t headDim = 0; ///< attention.key_length, or n_embd / n_head
    uint32_t nRot = 0;    ///< rope.dimension_count, or head_dim
    RopeType ropeType = RopeType::Neox;
    float ropeBase = 10000.0f;
    float eps = 1e-6f;
    uint32_t nCtxTrain = 0;
    uint32_t nVocab = 0; ///< <arch>.vocab_size or the length of tokenizer.ggml.tokens

    uint32_t qDim() const { return nHead * headDim; }
    uint32_t kvDim() const { return nHeadKv * headDim; }
    /// @brief Query heads per KV head (6 for R1-Distill-Qwen-1.5B, 7 for 7B).
    uint32_t gqaRatio() const { return nHead / nHeadKv; }
};

/// @brief Reads and checks the hyperparameters. An unknown architecture, a missing key or values
/// that cannot describe a model ("n_head 12 is not a multiple of n_head_kv 5") are errors.
Expected<ModelConfig> readModelConfig(const GgufFile& file);

/// @brief "qwen2", "llama", "qwen3".
const char* architectureName(Architecture arch);

} // namespace lucent
