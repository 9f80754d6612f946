#include "app/chat/InferenceWorker.h"

namespace lucent::app {
namespace {
constexpr qint64 kBatchMs = 16; // one frame: the GUI repaints at most this often for streamed text
}

InferenceWorker::InferenceWorker(std::unique_ptr<ChatBackend> backend, QObject* parent)
    : QObject(parent), backend_(std::move(backend)) {
    qRegisterMetaType<GenerationRequest>();
    qRegisterMetaType<GenerationOutcome>();
    qRegisterMetaType<ModelDescription>();
}

void InferenceWorker::loadModel(const QString& path, int contextLength, bool quantizedKvCache) {
    LoadOptions options;
    options.contextLength = uint32_t(std::max(contextLength, 0));
    options.quantizedKvCache = quantizedKvCache;
    options.progress = [this](double fraction) { emit loadProgress(fraction); };
    auto description = backend_->load(path, options);
    if (!description) {
        emit modelLoadFailed(path, QString::fromStdString(description.error().message));
        return;
    }
    emit modelLoaded(*description);
}

void InferenceWorker::generate(const GenerationRequest& request) {
    stop_ = false;
    ReplyOptions options;
    options.sampling = request.sampling;
    options.maxTokens = request.maxTokens;
    options.truncatePrompt = true; // a long chat keeps going; the oldest turns fall out of the context
    options.cancel = &stop_;

    std::string reasoning, content; // pending, not yet sent
    QElapsedTimer sinceBatch;
    sinceBatch.start();
    auto sendBatch = [&] {
        if (reasoning.empty() && content.empty()) return;
        emit replyDelta(request.id, QString::fromStdString(reasoning), QString::fromStdString(content));
        reasoning.clear();
        content.clear();
        sinceBatch.restart();
    };
    auto reply = backend_->reply(request.messages, options, [&](const ThinkingDelta& delta) {
        reasoning += delta.reasoning;
        content += delta.content;
        if (sinceBatch.elapsed() >= kBatchMs) sendBatch();
        return true;
    });
    sendBatch();
    if (!reply) {
        emit replyFailed(request.id, QString::fromStdString(reply.error().message));
        return;
    }
    GenerationOutcome outcome;
    outcome.id = request.id;
    outcome.reasoning = QString::fromStdString(reply->reasoning);
    outcome.content = QString::fromStdString(reply->content);
    outcome.stop = reply->stop;
    outcome.reasoningUnterminated = reply->reasoningUnterminated;
    outcome.reasoningMs = reply->reasoningTime.count();
    outcome.promptTokens = reply->promptTokens;
    outcome.reusedTokens = reply->reusedTokens;
    outcome.generatedTokens = int(reply->tokens.size());
    outcome.tokensPerSecond = reply->generationMs > 0 ? reply->tokens.size() * 1000.0 / reply->generationMs : 0.0;
    emit replyFinished(outcome);
}

} // namespace lucent::app
