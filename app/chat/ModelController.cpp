#include "app/chat/ModelController.h"

#include <QFileInfo>

namespace lucent::app {

ModelController::ModelController(std::unique_ptr<ChatBackend> backend, QObject* parent)
    : QObject(parent), worker_(new InferenceWorker(backend ? std::move(backend) : makeEngineBackend())) {
    thread_.setObjectName("lucent-inference");
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(this, &ModelController::startLoad, worker_, &InferenceWorker::loadModel);
    connect(this, &ModelController::startGenerate, worker_, &InferenceWorker::generate);
    connect(worker_, &InferenceWorker::modelLoaded, this, [this](const ModelDescription& description) {
        description_ = description;
        loaded_ = true;
        loading_ = false;
        error_.clear();
        emit changed();
        emit modelReady();
    });
    connect(worker_, &InferenceWorker::modelLoadFailed, this, [this](const QString& path, const QString& message) {
        loading_ = false;
        loaded_ = false; // the backend dropped the old model before trying the new one
        error_ = tr("Could not load %1: %2").arg(QFileInfo(path).fileName(), message);
        emit changed();
    });
    connect(worker_, &InferenceWorker::loadProgress, this, [this](double fraction) {
        loadProgress_ = fraction;
        emit loadProgressChanged();
    });
    connect(worker_, &InferenceWorker::replyDelta, this, &ModelController::replyDelta);
    connect(worker_, &InferenceWorker::replyFinished, this, &ModelController::replyFinished);
    connect(worker_, &InferenceWorker::replyFailed, this, &ModelController::replyFailed);
    thread_.start();
}

ModelController::~ModelController() {
    worker_->requestStop(); // a reply in progress ends within one token
    thread_.quit();
    thread_.wait();
}

QVariantMap ModelController::info() const {
    if (!loaded_) return {};
    return {{"architecture", description_.architecture}, {"quantization", description_.quantization},
            {"parameters", description_.parameters},     {"fileBytes", description_.fileBytes},
            {"device", description_.device},             {"contextLength", description_.contextLength},
            {"trainedContext", description_.trainedContext}, {"hasChatTemplate", description_.hasChatTemplate}};
}

void ModelController::setContextLength(int tokens) {
    if (tokens == contextLength_) return;
    contextLength_ = std::clamp(tokens, 256, 1 << 20);
    emit changed();
}

void ModelController::setQuantizedKvCache(bool on) {
    if (on == quantizedKvCache_) return;
    quantizedKvCache_ = on;
    emit changed();
}

void ModelController::load(const QString& pathOrUrl) {
    const QUrl url(pathOrUrl);
    const QString path = url.isLocalFile() ? url.toLocalFile() : pathOrUrl;
    if (!QFileInfo(path).isFile()) {
        error_ = tr("There is no model file at %1.").arg(path);
        emit changed();
        return;
    }
    loading_ = true;
    loadProgress_ = 0;
    emit loadProgressChanged();
    error_.clear();
    emit changed();
    emit startLoad(path, contextLength_, quantizedKvCache_);
}

void ModelController::dismissError() {
    error_.clear();
    emit changed();
}

void ModelController::generate(const GenerationRequest& request) { emit startGenerate(request); }

} // namespace lucent::app
