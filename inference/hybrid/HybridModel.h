#pragma once
/// @file
/// @brief Partial offload: a model larger than the GPU's free memory runs its first layers on a
/// Vulkan device and the rest on the CPU.
///
/// Each batch of tokens runs layers [0, n) on the GPU (VulkanModel with `layers = n`); the residual
/// stream of the batch is read back once and the CPU (CpuModel with `firstLayer = n`) runs layers
/// [n, L), the output norm and the LM head. Each side keeps the KV cache of its own layers, so
/// positions continue across evals exactly as on one device.

#include "inference/cpu/CpuModel.h"
#include "inference/gguf/GgufFile.h"
#include "inference/model/Backend.h"
#include "inference/vulkan/VulkanModel.h"

#include <memory>
#include <string>
#include <vector>

namespace lucent {

/// @brief How a HybridModel is set up at load time.
struct HybridOptions {
    uint32_t gpuLayers = 1;        ///< layers on the GPU, from the first: 1 … n_layer − 1
    uint32_t contextLength = 4096; ///< KV cache positions; 0: the model's training context
    unsigned threads = 0;          ///< CPU threads; 0: every hardware thread
    uint32_t maxBatch = 256;       ///< prompt tokens per pass through both devices
    vk::ContextOptions device;     ///< which GPU, validation, test hooks
    vk::UploadProgress progress;   ///< called while the GPU's weights upload
    vk::KvCacheType kvCache = vk::KvCacheType::F16; ///< the GPU layers' cache (the CPU's stays fp16)
};

/// @brief A model split between a Vulkan device and the CPU.
class HybridModel final : public Backend {
public:
    /// @brief Maps `path` (once per device) and loads both stages.
    static Expected<std::unique_ptr<HybridModel>> open(const std::string& path, const HybridOptions& options);
    /// @brief The same with the file already mapped twice: each stage owns one mapping.
    static Expected<std::unique_ptr<HybridModel>> create(GgufFile gpuFile, GgufFile cpuFile, const HybridOptions& options);

    const ModelConfig& config() const override { return cpu_->config(); }
    uint32_t contextLength() const override { return cpu_->contextLength(); }
    Expected<void> eval(std::span<const int32_t> tokens, int pos, float* logitsOut) override;

    uint32_t gpuLayers() const { return gpu_->layerCount(); }
    const vk::VulkanModel& gpu() const { return *gpu_; }
    const CpuModel& cpu() const { return *cpu_; }

private:
    HybridModel() = default;

    std::unique_ptr<vk::VulkanModel> gpu_;
    std::unique_ptr<CpuModel> cpu_;
    uint32_t maxBatch_ = 1;
    std::vector<float> hidden_; ///< [maxBatch, n_embd]: the GPU stage's output, the CPU stage's input
};

} // namespace lucent
