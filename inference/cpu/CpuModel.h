#pragma once
/// @file
/// @brief The CPU reference backend: a model's forward pass over the mmapped GGUF weights.

#include "inference/cpu/KvCache.h"
#include "inference/cpu/ThreadPool.h"
#include "inference/gguf/GgufFile.h"
#include "inference/model/Backend.h"
#include "inference/model/ModelWeights.h"

#include <memory>
#include <string>
#include <vector>

namespace lucent {

/// @brief How a CpuModel is set up at load time.
struct CpuModelOptions {
    uint32_t contextLength = 4096; ///< KV cache positions; 0: the model's training context
    unsigned threads = 0;          ///< 0: every hardware thread
    uint32_t maxBatch = 256;       ///< tokens evaluated per forward pass (longer prompts are split)
    /// Partial offload (inference/hybrid): a GPU runs layers [0, firstLayer), this model the rest,
    /// starting from their output (evalFromHidden); the KV cache holds only its own layers.
    uint32_t firstLayer = 0;
};

/// @brief A model ready to run on the CPU. Every buffer is allocated at load; eval() allocates
/// nothing.
class CpuModel final : public Backend {
public:
    /// @brief Maps `path`, reads its config and weights and allocates the KV cache and buffers.
    static Expected<std::unique_ptr<CpuModel>> open(const std::string& path, const CpuModelOptions& options = {});
    /// @brief The same for a file that is already open.
    static Expected<std::unique_ptr<CpuModel>> create(GgufFile file, const CpuModelOptions& options = {});
    ~CpuModel() override;

    const ModelConfig& config() const override { return config_; }
    uint32_t contextLength() const override { return cache_.capacity(); }
    Expected<void> eval(std::span<const int32_t> tokens, int pos, float* logitsOut) override;
    /// @brief Continues a forward pass another stage began: `hidden` holds the residual stream of
    /// nTokens tokens at positions pos, pos+1, … ([nTokens, n_embd] floats) as layer firstLayer()
    /// receives it. Runs the remaining layers (their keys and values go into the cache) and, when
    /// `logitsOut` is given, writes the last token's logits. Errors: positions past the context.
    Expected<void> evalFromHidden(const float* hidden, size_t nTokens, int pos, float* logitsOut);
    /// @brief The first layer this model runs (CpuModelOptions::firstLayer).
    uint32_t firstLayer() const { return firstLayer_; }

    const GgufFile& file() const { return file_; }
    const ModelWeights& weights() const { return weights_; }
    unsigned threads() const { return pool_.size(); }

private:
    /// @brief Activations for up to maxBatch tokens, allocated once (llama2.c's RunState).
    struct RunState {
        std::vector<float> x;       ///< [batch, n_embd] the residual stream
        std::vector<float> xb;      ///< [batch, n_embd] normed input of a sub-layer / its output
        std::vector<float> q;       ///< [batch, n_head·head_dim]
        std::vector<float> k;       ///< [batch, n_head_kv·head_dim]
        std::vector<float> v;       ///< [batch, n_head_kv·head_dim]
        std::vector<float> att;     ///< [batch, n_head·head_dim] attention output
        std::vector<float> gate;    ///< [batch, n_ff]
        std::vector<float> up;      ///< [batch, n_ff]
        std::vector<float> scores;  ///< [threads, context] attention weights
        std::vector<uint8_t> activations; ///< [batch, max width] activations rounded to 8-bit blocks
    };

    CpuModel(GgufFile file, ModelConfig config, const CpuModelOptions& options, uint32_t contextLength);
    /// Runs nTokens tokens from layer firstLayer_: embeds `tokens`, or takes `hidden` (partial offload).
    void forward(std::span<const int32_t> tokens, const float* hidden, size_t nTokens, int pos, float* logitsOut);
    Expected<void> checkPositions(size_t nTokens, int pos) const;
    /// Repacks the Q4_0/Q8_0 matrices this model runs (InterleavedRows.h) and lets their mapped pages go.
    void interleaveWeights();
    void attention(uint32_t layer, size_t nTokens, int pos);

    GgufFile file_;
    ModelConfig config_;
    ModelWeights weights_;
    struct AlignedDelete {
        void operator()(uint8_t* p) const;
    };
    std::unique_ptr<uint8_t[], AlignedDelete> interleaved_; ///< the repacked Q4_0/Q8_0 matrices
    uint32_t maxBatch_;
    uint32_t firstLayer_;
    ThreadPool pool_;
    KvCache cache_;
    RunState s_;
};

} // namespace lucent
