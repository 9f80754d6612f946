#include "inference/engine/LoadedModel.h"

#include "inference/cpu/CpuModel.h"
#include "inference/gguf/GgufFile.h"

namespace lucent {

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

    CpuModelOptions cpu;
    cpu.contextLength = options.contextLength;
    cpu.threads = options.threads;
    auto backend = CpuModel::create(std::move(*file), cpu);
    if (!backend) return fail(backend.error());
    model->device_ = "CPU (" + std::to_string((*backend)->threads()) + " threads)";
    model->backend_ = std::move(*backend);
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
