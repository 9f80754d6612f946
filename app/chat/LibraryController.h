#pragma once
/// @file
/// @brief The model library page: the curated catalog with downloads (progress, pause/resume,
/// cancel), the GGUF files other apps already keep (shown, never copied), what fits this computer,
/// and the recommended model — what a fresh install opens with.

#include "app/chat/LibraryModel.h"
#include "app/chat/ModelController.h"
#include "app/library/ModelDiscovery.h"
#include "app/library/ModelDownload.h"

#include <QFutureWatcher>
#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>
#include <QtQml/qqmlregistration.h>

#include <optional>
#include <utility>

namespace lucent::app {

class LibraryController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created by the application.")
    Q_PROPERTY(lucent::app::LibraryModel* models READ models CONSTANT)
    Q_PROPERTY(bool scanning READ scanning NOTIFY changed)
    Q_PROPERTY(QString modelsFolder READ modelsFolder CONSTANT)
    Q_PROPERTY(qint64 memoryBudget READ memoryBudget NOTIFY changed)
    Q_PROPERTY(QString deviceName READ deviceName CONSTANT)
    Q_PROPERTY(bool hasLocalModels READ hasLocalModels NOTIFY changed)
    Q_PROPERTY(QString recommendedId READ recommendedId NOTIFY changed)
public:
    /// @brief `roots`: where to look (DiscoveryRoots::standard for the app; fixture trees in tests).
    /// `memoryBudget`: bytes a model may use (0: the best GPU's memory when there is a GPU, else 70%
    /// of this computer's memory for the CPU backend). `gpuName`: that GPU, empty for the CPU.
    LibraryController(library::DiscoveryRoots roots, ModelController& models, qint64 memoryBudget = 0, QString gpuName = {},
                      QObject* parent = nullptr);
    ~LibraryController() override;

    LibraryModel* models() { return &rows_; }
    bool scanning() const { return scanning_; }
    QString modelsFolder() const { return roots_.lucentModels; }
    qint64 memoryBudget() const { return budget_; }
    /// @brief The GPU models are sized for ("" when the CPU runs them).
    QString deviceName() const { return gpuName_; }

    /// @brief The memory and name of the best Vulkan GPU (discrete or integrated), or nothing.
    static std::optional<std::pair<qint64, QString>> bestGpu();
    bool hasLocalModels() const { return hasLocal_; }
    QString recommendedId() const { return recommendedId_; }

    /// @brief Looks for local models again (on a pool thread).
    Q_INVOKABLE void refresh();
    /// @brief Downloads (or resumes) a catalog model into the models folder.
    Q_INVOKABLE void download(const QString& entryId);
    Q_INVOKABLE void pause(const QString& entryId);
    Q_INVOKABLE void cancel(const QString& entryId);
    /// @brief Loads a model file (a row's path).
    Q_INVOKABLE void open(const QString& path);
    /// @brief Also looks in this folder (a path or file:// URL) from now on.
    Q_INVOKABLE void addFolder(const QString& pathOrUrl);

    /// @brief Fetch catalog files from a Hugging Face mirror instead (`https://hf-mirror.example`:
    /// the same /<repo>/resolve/main/<file> paths); empty: huggingface.co.
    void setMirror(const QString& base) { mirror_ = base; }
    /// @brief For tests: the catalog to offer (default: the built-in one).
    void setCatalog(QList<library::CatalogEntry> catalog) { catalog_ = std::move(catalog); }

signals:
    void changed();
    void scanFinished();
    /// @brief A download finished and its model is ready to open.
    void downloaded(const QString& entryId, const QString& path);

private:
    void rebuild(const QList<library::LocalModel>& found);
    void trackDownload(const QString& entryId, library::ModelDownload* download);

    library::DiscoveryRoots roots_;
    ModelController& model_;
    qint64 budget_ = 0;
    QString gpuName_;
    QList<library::CatalogEntry> catalog_;
    LibraryModel rows_;
    QNetworkAccessManager network_;
    QHash<QString, library::ModelDownload*> downloads_;
    QFutureWatcher<QList<library::LocalModel>> scan_;
    QList<library::LocalModel> found_;
    bool scanning_ = false;
    bool hasLocal_ = false;
    QString recommendedId_;
    QString mirror_;
};

} // namespace lucent::app
