#include "inference/hybrid/HybridModel.h"

#include <algorithm>

namespace lucent {

Expected<std::unique_ptr<HybridModel>> HybridModel::open(const std::string& path, const HybridOptions& options) {
    auto gpuFile = GgufFile::open(path);
    if (!gpuFile) return fail(gpuFile.error());
    auto cpuFile = GgufFile::open(path); // a second mapping of the same pages: no extra memory
    if (!cpuFile) return fail(cpuFile.error());
    return create(std::move(*gpuFile), std::move(*cpuFile), options);
}

Expected<std::unique_ptr<HybridModel>> HybridModel::create(GgufFile gpuFile, GgufFile cpuFile, const HybridOptions& options) {
    auto config = readModelConfig(cpuFile);
    if (!config) return fail(config.error());
    if (options.gpuLayers == 0 || options.gpuLayers >= config->nLayer)
        return fail("Splitting a model of " + std::to_string(config->nLayer) + " layers between GPU and CPU needs 1 to " +
                    std::to_string(config->nLayer - 1) + " layers on the GPU, not " + std::to_string(options.gpuLayers) + ".");
    const uint32_t context = options.contextLength ? options.contextLength : config->nCtxTrain;
    const uint32_t maxBatch = std::clamp<uint32_t>(options.maxBatch, 1, std::max<uint32_t>(context, 1));

    std::unique_ptr<HybridModel> self(new HybridModel);
    vk::VulkanModelOptions gpu;
    gpu.contextLength = context;
    gpu.maxBatch = maxBatch;
    gpu.device = options.device;
    gpu.progress = options.progress;
    gpu.layers = options.gpuLayers;
    gpu.kvCache = options.kvCache;
    auto gpuModel = vk::VulkanModel::create(std::move(gpuFile), gpu);
    if (!gpuModel) return fail(gpuModel.error());
    self->gpu_ = std::move(*gpuModel);

    CpuModelOptions cpu;
    cpu.contextLength = context;
    cpu.threads = options.threads;
    cpu.maxBatch = maxBatch;
    cpu.firstLayer = options.gpuLayers;
    auto cpuModel = CpuModel::create(std::move(cpuFile), cpu);
    if (!cpuModel) return fail(cpuModel.error());
    self->cpu_ = std::move(*cpuModel);

    self->maxBatch_ = maxBatch;
    self->hidden_.resize(size_t(maxBatch) * config->nEmbd);
    return self;
}

Expected<void> HybridModel::eval(std::span<const int32_t> tokens, int pos, float* logitsOut) {
    // Checked here for the whole call: a batch must not run on the GPU and then be refused by the CPU.
    if (tokens.empty()) return fail("There are no tokens to evaluate.");
    if (pos < 0 || size_t(pos) + tokens.size() > contextLength())
        return fail("The context is full: " + std::to_string(pos) + " + " + std::to_string(tokens.size()) +
                    " tokens do not fit in a context of " + std::to_string(contextLength()) + ".");
    for (int32_t token : tokens)
        if (token < 0 || uint32_t(token) >= config().nVocab)
            return fail("Token id " + std::to_string(token) + " is outside the model's vocabulary of " + std::to_string(config().nVocab) +
                        " tokens.");
    // Batch by batch through both stages: the CPU's layers of a batch need the GPU's output of it.
    for (size_t start = 0; start < tokens.size(); start += maxBatch_) {
        const size_t n = std::min<size_t>(maxBatch_, tokens.size() - start);
        const int p = pos + int(start);
        const bool last = start + n == tokens.size();
        if (auto ran = gpu_->evalHidden(tokens.subspan(start, n), p, hidden_.data()); !ran) return ran;
        if (auto ran = cpu_->evalFromHidden(hidden_.data(), n, p, last ? logitsOut : nullptr); !ran) return ran;
    }
    return {};
}

} // namespace lucent
