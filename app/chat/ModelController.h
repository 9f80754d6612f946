#pragma once
/// @file
/// @brief The loaded model: loading it on the worker thread, what the app shows about it, and the
/// worker replies are generated on. Models (list models, store) are touched on the GUI thread only.

#include "app/chat/InferenceWorker.h"

#include <QObject>
#include <QThread>
#include <QUrl>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace lucent::app {

class ModelController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created by the application.")
    Q_PROPERTY(bool loaded READ loaded NOTIFY changed)
    Q_PROPERTY(bool loading READ loading NOTIFY changed)
    /// How far the load is, 0..1 (the weights uploading or being read in).
    Q_PROPERTY(double loadProgress READ loadProgress NOTIFY loadProgressChanged)
    Q_PROPERTY(QString path READ path NOTIFY changed)
    Q_PROPERTY(QString name READ name NOTIFY changed)
    Q_PROPERTY(QVariantMap info READ info NOTIFY changed)
    Q_PROPERTY(QString error READ error NOTIFY changed)
    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY changed)
    /// An 8-bit KV cache on the GPU at the next load: 0.56× the cache's memory for long chats.
    Q_PROPERTY(bool quantizedKvCache READ quantizedKvCache WRITE setQuantizedKvCache NOTIFY changed)
public:
    /// @brief `backend` runs on a worker thread started here (null: the engine).
    explicit ModelController(std::unique_ptr<ChatBackend> backend = nullptr, QObject* parent = nullptr);
    ~ModelController() override;

    bool loaded() const { return loaded_; }
    bool loading() const { return loading_; }
    double loadProgress() const { return loadProgress_; }
    QString path() const { return description_.path; }
    QString name() const { return description_.name; }
    /// @brief architecture, quantization, parameters, fileBytes, device, contextLength, trainedContext.
    QVariantMap info() const;
    QString error() const { return error_; }
    int contextLength() const { return contextLength_; }
    void setContextLength(int tokens);
    bool quantizedKvCache() const { return quantizedKvCache_; }
    void setQuantizedKvCache(bool on);
    const ModelDescription& description() const { return description_; }

    /// @brief Loads a GGUF file (a local path or file:// URL) on the worker thread.
    Q_INVOKABLE void load(const QString& pathOrUrl);
    Q_INVOKABLE void dismissError();

    /// @brief Starts a reply on the worker (one at a time; the ChatController keeps to that).
    void generate(const GenerationRequest& request);
    /// @brief Stops the running reply within one token.
    Q_INVOKABLE void stop() { worker_->requestStop(); }

signals:
    void changed();
    void loadProgressChanged();
    void modelReady();
    void replyDelta(quint64 id, const QString& reasoning, const QString& content);
    void replyFinished(const lucent::app::GenerationOutcome& outcome);
    void replyFailed(quint64 id, const QString& message);
    // to the worker (queued)
    void startLoad(const QString& path, int contextLength, bool quantizedKvCache);
    void startGenerate(const lucent::app::GenerationRequest& request);

private:
    QThread thread_;
    InferenceWorker* worker_; // lives on thread_, deleted when it finishes
    ModelDescription description_;
    bool loaded_ = false;
    bool loading_ = false;
    double loadProgress_ = 0;
    QString error_;
    int contextLength_ = 4096;
    bool quantizedKvCache_ = false;
};

} // namespace lucent::app
