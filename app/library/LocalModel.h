#pragma once
/// @file
/// @brief A GGUF model on this computer — whichever app put it there — with the facts a user picks a
/// model by, and how much device memory it needs at a chosen context length.

#include "inference/core/Expected.h"

#include <QList>
#include <QString>

namespace lucent::library {

/// @brief Which app's folder a model was found in.
enum class ModelSource { Lucent, LmStudio, Ollama, Gpt4All, HuggingFaceCache, LlamaCpp, UserFolder };

/// @brief "LM Studio", "Ollama", … for display.
QString modelSourceName(ModelSource source);

/// @brief What the GGUF header says, read with the project's GGUF reader.
struct ModelFacts {
    QString architecture;     ///< "qwen2"
    QString name;             ///< general.name, may be empty
    quint64 parameters = 0;
    QString quantization;     ///< "Q4_K_M"
    quint64 contextLength = 0; ///< training context
    quint64 layers = 0;
    quint64 headCountKv = 0;
    quint64 headDim = 0;      ///< key length per head
    quint64 weightBytes = 0;  ///< bytes of all tensors
    qint64 fileBytes = 0;
};

/// @brief Reads the facts of a GGUF file (following symlinks). Errors are the reader's sentences.
Expected<ModelFacts> readModelFacts(const QString& path);

/// @brief KV cache bytes in f16 at `contextTokens`: 2 (K and V) × layers × context × kv heads × head dim × 2 bytes.
quint64 kvCacheBytes(const ModelFacts& facts, quint64 contextTokens);

/// @brief Weights + KV cache at `contextTokens` (compute buffers not included).
quint64 estimatedMemoryBytes(const ModelFacts& facts, quint64 contextTokens);

/// @brief Whether the estimate fits a device with `budgetBytes` of memory.
bool fitsDevice(const ModelFacts& facts, quint64 contextTokens, quint64 budgetBytes);

/// @brief One model found on disk. `facts` is empty and `problem` says why when the file is not a
/// readable GGUF (it is still listed, so the user sees it and the reason).
struct LocalModel {
    QString path;        ///< the file to open (for Ollama: its blob; for the HF cache: the resolved blob)
    QString displayName; ///< "bartowski/DeepSeek-R1-Distill-Qwen-1.5B-GGUF/…Q4_K_M.gguf", "deepseek-r1:1.5b"
    ModelSource source = ModelSource::UserFolder;
    ModelFacts facts;
    QString problem;
};

} // namespace lucent::library
