#pragma once
/// @file
/// @brief What the inference worker drives: load a model, generate one reply. The real one runs the
/// engine (LoadedModel + Session); tests and screenshot scenes can put a scripted one behind the
/// same interface.

#include "inference/engine/ChatTurn.h"

#include <QString>

#include <memory>

namespace lucent::app {

/// @brief What the app shows about a loaded model.
struct ModelDescription {
    QString path;
    QString name;         ///< general.name, else the file name
    QString architecture; ///< qwen2, llama, qwen3
    QString quantization; ///< Q4_K_M …
    QString device;       ///< "CPU (16 threads)"
    qint64 parameters = 0;
    qint64 fileBytes = 0;
    int contextLength = 0; ///< the KV cache the model was loaded with
    int trainedContext = 0;
    bool hasChatTemplate = false;
    SamplerSettings recommended; ///< the family's sampling defaults
};

/// @brief A model runner. Every call happens on the worker thread, one at a time.
class ChatBackend {
public:
    virtual ~ChatBackend() = default;
    /// @brief Loads `path` (replacing any loaded model).
    virtual Expected<ModelDescription> load(const QString& path, const LoadOptions& options) = 0;
    /// @brief Generates the assistant's reply to `messages` with the loaded model.
    virtual Expected<Reply> reply(const std::vector<ChatMessage>& messages, const ReplyOptions& options,
                                  const ReplyDeltaFn& onDelta) = 0;
};

/// @brief The engine: one LoadedModel and its Session (the KV cache reused across turns).
std::unique_ptr<ChatBackend> makeEngineBackend();

} // namespace lucent::app
