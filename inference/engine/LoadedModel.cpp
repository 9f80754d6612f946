#include "inference/engine/LoadedModel.h"

#include "inference/cpu/CpuModel.h"
#include "inference/gguf/GgufFile.h"
#include "inference/hybrid/OpenOffloaded.h"
#include "inference/vulkan/DeviceList.h"

namespace lucent {
namespace {

/// "NVIDIA GeForce RTX 4090 (Vulkan)"; a CPU device keeps only its short name, since lavapipe's
/// "llvmpipe (LLVM 15.0.6, 256 bits)" says nothing a user needs: "llvmpipe (Vulkan, CPU)".
std::string vulkanDescription(const vk::DeviceInfo& device) {
    if (device.kind != vk::DeviceKind::Cpu) return device.name + " (Vulkan)";
    return device.name.substr(0, device.name.find(" (")) + " (Vulkan, CPU)";
}

/// For `auto`: the first supported GPU (not a CPU device), if the machine has one.
std::optional<int> autoGpu() {
    auto instance = vk::VulkanInstance::create({.validation = false, .log = [](vk::LogLevel, std::string_view) {}});
    if (!instance) return std::nullopt; // no loader or driver: the CPU it is
    const auto devices = vk::listDevices(**instance);
    for (size_t i = 0; i < devices.size(); ++i)
        if (devices[i].supported() && (devices[i].kind == vk::DeviceKind::Discrete || devices[i].kind == vk::DeviceKind::Integrated))
            return int(i);
    return std::nullopt;
}

} // namespace

namespace {

// Touches every page of the weights (the mapping reads them from disk), reporting progress: a model
// on a slow disk shows a moving bar instead of a first reply that stalls.
void readWeightsIn(const GgufFile& file, const std::function<void(double)>& progress) {
    constexpr size_t kPage = 4096;
    uint64_t total = 0, done = 0;
    for (const auto& tensor : file.tensors()) total += file.tensorData(tensor).size();
    volatile uint8_t sink = 0;
    double reported = -1;
    for (const auto& tensor : file.tensors()) {
        const auto bytes = file.tensorData(tensor);
        for (size_t at = 0; at < bytes.size(); at += kPage) sink = sink + bytes[at];
        done += bytes.size();
        const double fraction = total ? double(done) / double(total) : 1.0;
        if (fraction - reported >= 0.01 || done == total) {
            progress(fraction);
            reported = fraction;
        }
    }
}

} // namespace

Expected<OpenedBackend> openBackend(const std::string& path, GgufFile file, const LoadOptions& options) {
    std::optional<int> device = options.device;
    bool vulkan = options.backend == BackendChoice::Vulkan;
    if (options.backend == BackendChoice::Auto) {
        if (!device) device = autoGpu();
        vulkan = device.has_value();
    }
    if (vulkan) {
        OffloadRequest gpu;
        gpu.contextLength = options.contextLength;
        gpu.threads = options.threads;
        gpu.gpuLayers = options.gpuLayers;
        gpu.vramBudgetBytes = options.vramBudgetBytes;
        gpu.kvCache = options.quantizedKvCache ? vk::KvCacheType::Q8_0 : vk::KvCacheType::F16;
        gpu.device.device = device;
        gpu.device.instance.validation = options.validation;
        if (options.progress)
            gpu.progress = [&options](uint64_t done, uint64_t total) { options.progress(total ? double(done) / double(total) : 1.0); };
        auto model = openOffloaded(path, std::move(file), gpu);
        if (!model) return fail(model.error());
        std::string description = vulkanDescription(model->device);
        if (options.quantizedKvCache && model->gpuLayers > 0) description += ", 8-bit KV cache";
        if (model->gpuLayers == 0)
            description = "CPU (" + std::to_string(model->cpuThreads) + " threads; no layer fits on " + description + ")";
        else if (model->gpuLayers < model->layers)
            description += " — " + std::to_string(model->gpuLayers) + " of " + std::to_string(model->layers) + " layers, rest on CPU (" +
                           std::to_string(model->cpuThreads) + " threads)";
        return OpenedBackend{std::move(model->backend), description, model->gpuLayers > 0, model->gpuLayers};
    }
    if (options.progress) readWeightsIn(file, options.progress);
    CpuModelOptions cpu;
    cpu.contextLength = options.contextLength;
    cpu.threads = options.threads;
    auto model = CpuModel::create(std::move(file), cpu);
    if (!model) return fail(model.error());
    const std::string description = "CPU (" + std::to_string((*model)->threads()) + " threads)";
    return OpenedBackend{std::move(*model), description, false, 0};
}

Expected<std::unique_ptr<LoadedModel>> LoadedModel::load(const std::string& path, const LoadOptions& options) {
    auto file = GgufFile::open(path);
    if (!file) return fail(file.error());
    auto summary = summarizeModel(*file);
    if (!summary) return fail(summary.error());
    auto tokenizer = Tokenizer::fromGguf(*file);
    if (!tokenizer) return fail(tokenizer.error());

    std::unique_ptr<LoadedModel> model(new LoadedModel(std::move(*tokenizer)));
    model->summary_ = std::move(*summary);
    if (auto chatTemplate = chatTemplateFromGguf(*file)) {
        model->thinkingFormat_ = detectThinkingFormat(*file->getString("tokenizer.chat_template"));
        model->chatTemplate_ = std::move(*chatTemplate);
    } else {
        model->chatTemplateProblem_ = chatTemplate.error().message;
    }

    auto opened = openBackend(path, std::move(*file), options);
    if (!opened) return fail(opened.error());
    model->device_ = std::move(opened->device);
    model->backend_ = std::move(opened->backend);
    return model;
}

SamplerSettings LoadedModel::recommendedSampling() const {
    SamplerSettings settings;
    if (thinkingFormat_ == ThinkingFormat::Think) { // DeepSeek-R1 and its distills, Qwen3 thinking mode
        settings.temperature = 0.6f;
        settings.topP = 0.95f;
        settings.topK = summary_.architecture == "qwen3" ? 20 : 40;
        settings.minP = summary_.architecture == "qwen3" ? 0.0f : 0.05f;
    }
    return settings;
}

} // namespace lucent
