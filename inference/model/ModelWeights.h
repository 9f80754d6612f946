#pragma once
/// @file
/// @brief Views into the memory-mapped tensors of a model, checked against its ModelConfig.

#include "inference/core/Expected.h"
#include "inference/model/ModelConfig.h"
#include "inference/quant/TensorType.h"

#include <cstdint>
#include <vector>

namespace lucent {

class GgufFile;

/// @brief A matrix (or vector when rows == 1) inside the mapped file: `rows` rows of `cols`
/// weights, each row `rowBytes(type, cols)` bytes, contiguous.
struct WeightView {
    const uint8_t* data = nullptr;
    TensorType type = TensorType::F32;
    uint64_t cols = 0; ///< ne0: the input length of a weight matrix
    uint64_t rows = 0; ///< ne1: the output length
    /// CPU backend only: Q4_0/Q8_0 rows repacked eight at a time (inference/cpu/InterleavedRows.h),
    /// where row() does not apply.
    bool interleavedRows = false;
    bool present() const { return data != nullptr; }
    /// @brief The weights as floats when `type` is F32 (norms, biases).
    const float* f32() const { return reinterpret_cast<const float*>(data); }
    const uint8_t* row(uint64_t i) const { return data + i * rowBytes(type, cols); }
};

/// @brief One transformer block. Shapes use the GGUF order [ne0 = in, ne1 = out].
struct LayerWeights {
    WeightView attnNorm; ///< [n_embd] f32
    WeightView wq;       ///< [n_embd, n_head*head_dim]
    WeightView wk;       ///< [n_embd, n_head_kv*head_dim]
    WeightView wv;       ///< [n_embd, n_head_kv*head_dim]
    WeightView bq;       ///< [n_head*head_dim] f32, qwen2 only
    WeightView bk;       ///< [n_head_kv*head_dim] f32, qwen2 only
    WeightView bv;       ///< [n_head_kv*head_dim] f32, qwen2 only
    WeightView qNorm;    ///< [head_dim] f32, qwen3 only
    WeightView kNorm;    ///< [head_dim] f32, qwen3 only
    WeightView wo;       ///< [n_head*head_dim, n_embd]
    WeightView ffnNorm;  ///< [n_embd] f32
    WeightView wGate;    ///< [n_embd, n_ff]
    WeightView wUp;      ///< [n_embd, n_ff]
    WeightView wDown;    ///< [n_ff, n_embd]
};

/// @brief All weights of a model. Valid while the GgufFile they point into lives.
struct ModelWeights {
    WeightView tokenEmbd;  ///< [n_embd, n_vocab]: one row per token
    WeightView outputNorm; ///< [n_embd] f32
    WeightView output;     ///< [n_embd, n_vocab]; token_embd itself when the file ties them
    WeightView ropeFreqs;  ///< [n_rot/2] f32, llama 3.1 only: θ_i is divided by it
    bool tiedEmbeddings = false;
    std::vector<LayerWeights> layers;
};

/// @brief Finds every tensor `config` needs and checks its presence, shape and type. Errors name
/// the tensor: "The model's metadata says n_embd 1536 but 'blk.0.attn_q.weight' is 1024×1536."
Expected<ModelWeights> loadModelWeights(const GgufFile& file, const ModelConfig& config);

} // namespace lucent
