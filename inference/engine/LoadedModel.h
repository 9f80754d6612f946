#pragma once
/// @file
/// @brief A model file loaded for chatting: its compute backend, tokenizer, chat template and
/// reasoning markers — everything the app and lucent-cli need to run a conversation on it.

#include "inference/chat/ModelChatTemplate.h"
#include "inference/core/Expected.h"
#include "inference/generation/SamplerSettings.h"
#include "inference/generation/ThinkingFormat.h"
#include "inference/gguf/GgufFile.h"
#include "inference/gguf/ModelSummary.h"
#include "inference/model/Backend.h"
#include "inference/tokenizer/Tokenizer.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace lucent {

/// @brief Which compute backend runs the model.
enum class BackendChoice {
    Cpu,    ///< Lucent's CPU backend
    Vulkan, ///< a Vulkan device (LoadOptions::device, or the best one; lavapipe when it is the only one)
    Auto,   ///< Vulkan on a discrete or integrated GPU when there is one, the CPU otherwise (never lavapipe)
};

/// @brief How to load a model.
struct LoadOptions {
    uint32_t contextLength = 4096;        ///< KV cache positions; 0: the model's training context
    unsigned threads = 0;                 ///< CPU threads; 0: every hardware thread
    BackendChoice backend = BackendChoice::Auto;
    std::optional<int> device = std::nullopt; ///< index in `lucent-cli devices`; none: the best one
    bool validation = false;              ///< Vulkan validation layers (tests)
    /// Layers on the GPU when one is used, counted from the first; the rest run on the CPU. None:
    /// as many as fit (all when the model fits). More than fit is an error naming how many do.
    std::optional<uint32_t> gpuLayers = std::nullopt;
    /// At most this many bytes of GPU memory for the model (a user sharing the GPU, tests); none:
    /// what the device reports free, less a safety margin.
    std::optional<uint64_t> vramBudgetBytes = std::nullopt;
    /// An 8-bit (Q8_0) KV cache on the GPU: 0.56× the cache's memory, so longer contexts or more
    /// layers fit, at a small cost in accuracy. The CPU backend keeps fp16.
    bool quantizedKvCache = false;
    /// Called while the weights load, with the fraction done (0..1): the upload to a GPU, or on the
    /// CPU reading every page of the weights in (so the first reply does not wait on the disk).
    std::function<void(double)> progress = {};
};

/// @brief A backend opened on a model file, and the words that name its device.
struct OpenedBackend {
    std::unique_ptr<Backend> backend;
    std::string device; ///< "CPU (16 threads)", "NVIDIA GeForce RTX 4090 (Vulkan)", "llvmpipe (Vulkan, CPU) — 3 of 4 layers, rest on CPU (2 threads)"
    bool vulkan = false;    ///< some layers run on a Vulkan device
    uint32_t gpuLayers = 0; ///< layers on the GPU (0 on the CPU backend, n_layer when the whole model is there)
};

/// @brief Opens `file` (mapped from `path`) on the backend `options` choose. On a GPU without room
/// for the whole model, the layers that fit go there and the rest to the CPU (inference/hybrid).
/// Errors: no Vulkan device, a bad device index, forced GPU layers that do not fit (needed and
/// available bytes), an unsupported model.
Expected<OpenedBackend> openBackend(const std::string& path, GgufFile file, const LoadOptions& options);

/// @brief A loaded model. Not copyable; one conversation at a time runs on its backend.
class LoadedModel {
public:
    /// @brief Opens `path` and loads it. Errors are sentences naming the file and what is wrong.
    static Expected<std::unique_ptr<LoadedModel>> load(const std::string& path, const LoadOptions& options = {});

    Backend& backend() { return *backend_; }
    const Tokenizer& tokenizer() const { return tokenizer_; }
    /// @brief The model's chat template, when the file has a usable one.
    const std::optional<ModelChatTemplate>& chatTemplate() const { return chatTemplate_; }
    /// @brief Why chatTemplate() is empty (the file has none, or it does not parse).
    const std::string& chatTemplateProblem() const { return chatTemplateProblem_; }
    ThinkingFormat thinkingFormat() const { return thinkingFormat_; }
    const ModelSummary& summary() const { return summary_; }
    /// @brief "CPU (16 threads)", "NVIDIA GeForce RTX 4090 (Vulkan)" — what the app shows as backend/device.
    const std::string& deviceDescription() const { return device_; }
    /// @brief Sampler settings the model's family is meant to run with (R1: temperature 0.6, top-p 0.95).
    SamplerSettings recommendedSampling() const;

private:
    LoadedModel(Tokenizer tokenizer) : tokenizer_(std::move(tokenizer)) {}

    std::unique_ptr<Backend> backend_;
    Tokenizer tokenizer_;
    std::optional<ModelChatTemplate> chatTemplate_;
    std::string chatTemplateProblem_;
    ThinkingFormat thinkingFormat_ = ThinkingFormat::None;
    ModelSummary summary_;
    std::string device_;
};

} // namespace lucent
