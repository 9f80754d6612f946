#pragma once
/// @file
/// @brief Runs a ChatBackend on its own thread. The GUI talks to it only through queued signals;
/// text arrives in batches (about every 16 ms, one frame) instead of once per token.

#include "app/chat/ChatBackend.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <vector>

namespace lucent::app {

/// @brief One reply to generate.
struct GenerationRequest {
    quint64 id = 0; ///< echoed in every signal about this reply
    std::vector<ChatMessage> messages;
    SamplerSettings sampling;
    int maxTokens = 2048;
};

/// @brief How a reply ended, with its measurements.
struct GenerationOutcome {
    quint64 id = 0;
    QString reasoning; ///< the whole reasoning (the batches add up to it)
    QString content;   ///< the whole answer
    StopReason stop = StopReason::EndOfGeneration;
    bool reasoningUnterminated = false;
    qint64 reasoningMs = 0;
    int promptTokens = 0;
    int reusedTokens = 0;
    int generatedTokens = 0;
    double tokensPerSecond = 0;
};

/// @brief Lives on a worker QThread; owns the backend.
class InferenceWorker : public QObject {
    Q_OBJECT
public:
    explicit InferenceWorker(std::unique_ptr<ChatBackend> backend, QObject* parent = nullptr);

    /// @brief Asks the running reply to stop; takes effect within one token. Any thread.
    void requestStop() { stop_ = true; }

public slots:
    void loadModel(const QString& path, int contextLength, bool quantizedKvCache);
    void generate(const lucent::app::GenerationRequest& request);

signals:
    void modelLoaded(const lucent::app::ModelDescription& description);
    void modelLoadFailed(const QString& path, const QString& message);
    /// @brief How far a load is (0..1), every percent.
    void loadProgress(double fraction);
    /// @brief Text added since the last batch (either part may be empty).
    void replyDelta(quint64 id, const QString& reasoning, const QString& content);
    void replyFinished(const lucent::app::GenerationOutcome& outcome);
    void replyFailed(quint64 id, const QString& message);

private:
    std::unique_ptr<ChatBackend> backend_;
    std::atomic<bool> stop_{false};
};

} // namespace lucent::app

Q_DECLARE_METATYPE(lucent::app::GenerationRequest)
Q_DECLARE_METATYPE(lucent::app::GenerationOutcome)
Q_DECLARE_METATYPE(lucent::app::ModelDescription)
