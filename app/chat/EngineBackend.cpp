// The ChatBackend that runs Lucent's engine.
#include "app/chat/ChatBackend.h"

#include <QFileInfo>

namespace lucent::app {
namespace {

class EngineBackend final : public ChatBackend {
public:
    Expected<ModelDescription> load(const QString& path, const LoadOptions& options) override {
        session_.reset();
        model_.reset(); // free the old model's memory before mapping the new one
        auto model = LoadedModel::load(path.toStdString(), options);
        if (!model) return fail(model.error());
        model_ = std::move(*model);
        session_ = std::make_unique<Session>(model_->backend(), model_->tokenizer().vocabulary().endOfGeneration());

        const ModelSummary& summary = model_->summary();
        ModelDescription description;
        description.path = path;
        description.name = summary.name.empty() ? QFileInfo(path).completeBaseName() : QString::fromStdString(summary.name);
        description.architecture = QString::fromStdString(summary.architecture);
        description.quantization = QString::fromStdString(summary.fileType);
        description.device = QString::fromStdString(model_->deviceDescription());
        description.parameters = qint64(summary.parameters);
        description.fileBytes = QFileInfo(path).size();
        description.contextLength = int(model_->backend().contextLength());
        description.trainedContext = int(summary.contextLength);
        description.hasChatTemplate = model_->chatTemplate().has_value();
        description.recommended = model_->recommendedSampling();
        return description;
    }

    Expected<Reply> reply(const std::vector<ChatMessage>& messages, const ReplyOptions& options, const ReplyDeltaFn& onDelta) override {
        if (!model_) return fail("no model is loaded.");
        auto prompt = buildChatPrompt(*model_, messages);
        if (!prompt) return fail(prompt.error());
        return generateReply(*model_, *session_, *prompt, options, onDelta);
    }

private:
    std::unique_ptr<LoadedModel> model_;
    std::unique_ptr<Session> session_;
};

} // namespace

std::unique_ptr<ChatBackend> makeEngineBackend() { return std::make_unique<EngineBackend>(); }

} // namespace lucent::app
