#include "app/library/LocalModel.h"

#include "inference/gguf/GgufFile.h"
#include "inference/gguf/ModelSummary.h"

#include <QFile>
#include <QFileInfo>

namespace lucent::library {

QString modelSourceName(ModelSource source) {
    switch (source) {
    case ModelSource::Lucent: return QStringLiteral("Lucent");
    case ModelSource::LmStudio: return QStringLiteral("LM Studio");
    case ModelSource::Ollama: return QStringLiteral("Ollama");
    case ModelSource::Gpt4All: return QStringLiteral("GPT4All");
    case ModelSource::HuggingFaceCache: return QStringLiteral("Hugging Face cache");
    case ModelSource::LlamaCpp: return QStringLiteral("llama.cpp cache");
    case ModelSource::UserFolder: return QStringLiteral("Folder");
    }
    return {};
}

Expected<ModelFacts> readModelFacts(const QString& path) {
    const QFileInfo info(path);
    const QString resolved = info.canonicalFilePath();
    if (resolved.isEmpty()) return fail(path.toStdString() + " does not exist (or is a broken link).");
    auto file = GgufFile::open(QFile::encodeName(resolved).toStdString());
    if (!file) return fail(file.error());
    auto summary = summarizeModel(*file);
    if (!summary) return fail(summary.error());
    ModelFacts facts;
    facts.architecture = QString::fromStdString(summary->architecture);
    facts.name = QString::fromStdString(summary->name);
    facts.parameters = summary->parameters;
    facts.quantization = QString::fromStdString(summary->fileType);
    facts.contextLength = summary->contextLength;
    facts.layers = summary->layers;
    facts.fileBytes = QFileInfo(resolved).size();
    const std::string prefix = summary->architecture + ".";
    const uint64_t heads = file->getUInt(prefix + "attention.head_count").value_or(0);
    facts.headCountKv = file->getUInt(prefix + "attention.head_count_kv").value_or(heads);
    // qwen3 states its head size; others imply it as embedding / heads.
    facts.headDim = file->getUInt(prefix + "attention.key_length")
                        .value_or(heads > 0 ? summary->embeddingLength / heads : 0);
    for (const GgufTensor& tensor : file->tensors()) facts.weightBytes += tensor.bytes;
    return facts;
}

quint64 kvCacheBytes(const ModelFacts& facts, quint64 contextTokens) {
    constexpr quint64 kF16Bytes = 2;
    return 2 * facts.layers * contextTokens * facts.headCountKv * facts.headDim * kF16Bytes;
}

quint64 estimatedMemoryBytes(const ModelFacts& facts, quint64 contextTokens) {
    return facts.weightBytes + kvCacheBytes(facts, contextTokens);
}

bool fitsDevice(const ModelFacts& facts, quint64 contextTokens, quint64 budgetBytes) {
    return estimatedMemoryBytes(facts, contextTokens) <= budgetBytes;
}

} // namespace lucent::library
