#pragma once
/// @file
/// @brief A model's forward pass on a Vulkan device: the weights uploaded once, activations and
/// the KV cache (fp16, or 8-bit blocks) resident on the device. Mirrors inference/cpu/CpuModel step by step, so the
/// two can be compared layer for layer.
///
/// A prompt runs in batches of up to maxBatch tokens, one submission each: tiled mat-muls
/// (recordMatMul) and causal attention over the batch. A single token (generation) takes the
/// mat-vec kernels, recorded once and submitted again for every token (its token id, position and
/// RoPE angles live in a host-written buffer; it is recorded again only when the attention's split
/// count changes, every ~128 positions). Logits are read back to the host; sampling on the device
/// is next.
///
/// A lost device (VK_ERROR_DEVICE_LOST) makes eval() fail with a sentence saying so, now and on
/// every later call; the model must be loaded again (or on the CPU) to go on.

#include "inference/gguf/GgufFile.h"
#include "inference/model/Backend.h"
#include "inference/model/ModelWeights.h"
#include "inference/vulkan/ComputeBatch.h"
#include "inference/vulkan/DeviceTensor.h"
#include "inference/vulkan/Kernels.h"
#include "inference/vulkan/PipelineCache.h"
#include "inference/vulkan/StagingUploader.h"
#include "inference/vulkan/VulkanContext.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lucent::vk {

/// @brief How a VulkanModel is set up at load time.
struct VulkanModelOptions {
    uint32_t contextLength = 4096; ///< KV cache positions; 0: the model's training context
    uint32_t maxBatch = 256;       ///< prompt tokens per submission (longer prompts are split)
    ContextOptions device;         ///< which device, validation, test limits
    UploadProgress progress;       ///< called while the weights upload
    /// Partial offload (inference/hybrid): only layers [0, layers) run on this device (0: all of
    /// them). Neither the output norm nor the LM head is uploaded then; evalHidden() hands the
    /// residual stream to the stage that runs the rest.
    uint32_t layers = 0;
    KvCacheType kvCache = KvCacheType::F16; ///< Q8_0: 0.56× the cache memory, a small loss of accuracy
};

/// @brief A model ready to run on a Vulkan device.
class VulkanModel final : public Backend {
public:
    /// @brief Maps `path`, reads config and weights, opens the device and uploads the weights.
    static Expected<std::unique_ptr<VulkanModel>> open(const std::string& path, const VulkanModelOptions& options = {});
    static Expected<std::unique_ptr<VulkanModel>> create(GgufFile file, const VulkanModelOptions& options = {});
    ~VulkanModel() override;

    const ModelConfig& config() const override { return config_; }
    uint32_t contextLength() const override { return contextLength_; }
    Expected<void> eval(std::span<const int32_t> tokens, int pos, float* logitsOut) override;

    const VulkanContext& context() const { return *context_; }
    /// @brief Layers this device runs, counted from the first (VulkanModelOptions::layers).
    uint32_t layerCount() const { return layerCount_; }
    /// @brief Device bytes allocated: weights, KV cache and run buffers.
    uint64_t deviceBytes() const;
    /// @brief Evaluates `tokens` at pos, pos+1, … like eval() but stops after layerCount() layers
    /// and writes the residual stream of every token ([tokens.size(), n_embd] floats) to
    /// `hiddenOut`: the input of the next stage's first layer. Only for a partial model.
    Expected<void> evalHidden(std::span<const int32_t> tokens, int pos, float* hiddenOut);
    /// @brief Device bytes of the activation, parameter and logits buffers for these sizes (what
    /// allocateState() allocates besides the KV cache): partial offload plans with it.
    static uint64_t runStateBytes(const ModelConfig& config, uint32_t contextLength, uint32_t maxBatch, uint64_t bindingAlignment,
                                  bool withLogits);

private:
    /// @brief Device copies of one layer's weights (indices into the TensorStore; -1: absent).
    struct LayerTensors {
        int attnNorm, wq, wk, wv, bq, bk, bv, qNorm, kNorm, wo, ffnNorm, wGate, wUp, wDown;
    };
    /// @brief Activations of up to maxBatch tokens, on the device (llama2.c's RunState).
    struct RunState {
        std::unique_ptr<DeviceBuffer> x, xb, q, k, v, att, gate, up, partials; ///< device-local
        std::unique_ptr<DeviceBuffer> xq;                                      ///< device-local: 8-bit blocks (integer-dot mat-mul)
        std::unique_ptr<DeviceBuffer> params;                                  ///< host-written: token ids, position, RoPE table
        std::unique_ptr<DeviceBuffer> logits;                                  ///< host-read
        std::unique_ptr<DeviceBuffer> hidden;                                  ///< host-read: x of a partial model
        std::vector<std::unique_ptr<DeviceBuffer>> keys, values;              ///< per layer (VulkanModelOptions::kvCache)
    };

    /// Attention splits of a prompt batch: its n_head × n_tokens workgroups already fill a GPU.
    static constexpr uint32_t kBatchSplits = 4;

    VulkanModel(GgufFile file, ModelConfig config) : file_(std::move(file)), config_(std::move(config)) {}
    Expected<void> load(const VulkanModelOptions& options);
    Expected<void> allocateState();
    /// @brief What a recorded one-token step depends on besides its buffers' contents.
    struct DecodeStepKey {
        uint32_t splits = 0; ///< attention splits (attentionSplits of the KV length)
        bool logits = false, hidden = false;
        bool operator==(const DecodeStepKey&) const = default;
    };

    /// @brief Records into `b` the forward pass of nTokens tokens at positions pos0… (their ids,
    /// position and RoPE angles read from params on the device), and the logits of the last one
    /// when asked; pos0 only chooses the attention's split count of a single token.
    void recordForward(ComputeBatch& b, uint32_t pos0, uint32_t nTokens, bool wantLogits);
    /// @brief Records into `b` the forward pass and, when `hidden`, the copy of the residual stream
    /// into s_.hidden.
    void recordStep(ComputeBatch& b, uint32_t pos0, uint32_t nTokens, bool logits, bool hidden);
    /// @brief eval() and evalHidden(): checks the input, runs the batches, reads the results back.
    Expected<void> run(std::span<const int32_t> tokens, int pos, float* logitsOut, float* hiddenOut);
    BufferRange tensor(int index) const { return store_->tensor(size_t(index)).slices.front().range; }

    GgufFile file_;
    ModelConfig config_;
    ModelWeights weights_;
    uint32_t contextLength_ = 0;
    uint32_t maxBatch_ = 1;
    uint32_t layerCount_ = 0;
    std::unique_ptr<VulkanContext> context_;
    std::unique_ptr<PipelineCache> pipelines_;
    std::unique_ptr<ComputeBatch> batch_;      ///< prompt batches, recorded for each
    std::unique_ptr<ComputeBatch> decodeStep_; ///< one token, recorded once (Recording::Reusable)
    DecodeStepKey decodeKey_;                  ///< what decodeStep_ was recorded for
    uint64_t positionOffset_ = 0, ropeTableOffset_ = 0; ///< in params, after the token ids
    std::unique_ptr<TensorStore> store_;
    int tokenEmbd_ = -1, outputNorm_ = -1, output_ = -1;
    std::vector<LayerTensors> layers_;
    std::vector<float> ropeFreqs_;
    HeadShape heads_;
    KvCacheType kvCache_ = KvCacheType::F16;
    RunState s_;
};

} // namespace lucent::vk
