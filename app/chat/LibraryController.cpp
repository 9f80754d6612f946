#include "app/chat/LibraryController.h"

#include "inference/vulkan/DeviceList.h"
#include "inference/vulkan/VulkanInstance.h"

#include <QDir>
#include <QFileInfo>
#include <QUrl>

#include <unistd.h>

namespace lucent::app {
namespace {

qint64 defaultBudget() {
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && pageSize > 0 ? qint64(double(pages) * double(pageSize) * 0.7) : qint64(8) << 30;
}

double billions(const QString& parameters) { return parameters.chopped(parameters.endsWith('B') ? 1 : 0).toDouble(); }

} // namespace

std::optional<std::pair<qint64, QString>> LibraryController::bestGpu() {
    auto instance = vk::VulkanInstance::create({});
    if (!instance) return std::nullopt;
    for (const vk::DeviceInfo& device : vk::listDevices(**instance)) // best first
        if (device.supported() && (device.kind == vk::DeviceKind::Discrete || device.kind == vk::DeviceKind::Integrated))
            return std::make_pair(qint64(device.vramBytes), QString::fromStdString(device.name));
    return std::nullopt;
}

LibraryController::LibraryController(library::DiscoveryRoots roots, ModelController& models, qint64 memoryBudget, QString gpuName,
                                     QObject* parent)
    : QObject(parent), roots_(std::move(roots)), model_(models), budget_(memoryBudget > 0 ? memoryBudget : defaultBudget()),
      gpuName_(std::move(gpuName)), catalog_(library::builtInCatalog()) {
    // The estimates depend on the context length the next model loads with.
    int context = models.contextLength();
    connect(&models, &ModelController::changed, this, [this, context]() mutable {
        if (model_.contextLength() == context || scanning_) return;
        context = model_.contextLength();
        rebuild(found_);
        emit changed();
    });
    connect(&scan_, &QFutureWatcher<QList<library::LocalModel>>::finished, this, [this] {
        scanning_ = false;
        found_ = scan_.result();
        rebuild(found_);
        emit changed();
        emit scanFinished();
    });
}

LibraryController::~LibraryController() {
    for (auto* download : std::as_const(downloads_)) download->pause(); // keeps the partial for next time
    scan_.waitForFinished();
}

void LibraryController::refresh() {
    if (scanning_) return;
    scanning_ = true;
    emit changed();
    scan_.setFuture(library::discoverModelsAsync(roots_));
}

void LibraryController::rebuild(const QList<library::LocalModel>& found) {
    QList<LibraryRow> rows;
    QList<library::LocalModel> others = found;
    // Catalog rows, with their file when it is already in Lucent's folder.
    for (const auto& entry : std::as_const(catalog_)) {
        LibraryRow row;
        row.entry = entry;
        for (qsizetype i = 0; i < others.size(); ++i) {
            if (others[i].source == library::ModelSource::Lucent && QFileInfo(others[i].path).fileName() == entry.file) {
                row.local = others.takeAt(i);
                break;
            }
        }
        // Weights and a KV cache at the context the model will be loaded with: the file's own facts once
        // downloaded, else its listed size plus a margin for the cache (about 10% at 4,096 tokens).
        row.estimateBytes = row.local && row.local->problem.isEmpty()
                                ? library::estimatedMemoryBytes(row.local->facts, quint64(model_.contextLength()))
                                : quint64(double(entry.approxBytes) * 1.1);
        row.fits = qint64(row.estimateBytes) <= budget_;
        if (auto* download = downloads_.value(entry.id)) {
            row.downloadState = download->state() == library::ModelDownload::State::Paused ? "paused" : "downloading";
            const auto progress = download->progress();
            row.progress = progress.totalBytes > 0 ? double(progress.receivedBytes) / double(progress.totalBytes) : 0.0;
        }
        rows.push_back(row);
    }
    for (const auto& local : std::as_const(others)) {
        LibraryRow row;
        row.local = local;
        row.estimateBytes = local.problem.isEmpty() ? library::estimatedMemoryBytes(local.facts, quint64(model_.contextLength())) : 0;
        row.fits = local.problem.isEmpty() && qint64(row.estimateBytes) <= budget_;
        rows.push_back(row);
    }
    // The recommendation: the largest DeepSeek-R1 distill that fits the GPU's memory; on the CPU the
    // smallest one, which still answers at reading speed.
    recommendedId_.clear();
    double best = -1;
    for (auto& row : rows) {
        if (!row.entry || !row.entry->isDefault || !row.fits || !row.entry->id.startsWith("r1-distill")) continue;
        const double size = billions(row.entry->parameters);
        const bool better = recommendedId_.isEmpty() || (gpuName_.isEmpty() ? size < best : size > best);
        if (better) {
            recommendedId_ = row.entry->id;
            best = size;
        }
    }
    for (auto& row : rows) row.recommended = row.entry && row.entry->id == recommendedId_;
    hasLocal_ = !found.isEmpty();
    rows_.setRows(std::move(rows));
}

void LibraryController::download(const QString& entryId) {
    if (auto* existing = downloads_.value(entryId)) {
        existing->start(); // resume
        return;
    }
    const auto entry = library::findCatalogEntry(catalog_, entryId);
    if (!entry) return;
    library::DownloadRequest request;
    request.url = entry->url();
    if (!mirror_.isEmpty()) request.url = QUrl(mirror_ + request.url.path());
    request.directory = roots_.lucentModels;
    request.fileName = entry->file;
    request.approxBytes = entry->approxBytes;
    request.sha256 = entry->sha256;
    auto* download = new library::ModelDownload(request, &network_, this);
    downloads_.insert(entry->id, download);
    trackDownload(entry->id, download);
    download->start();
}

void LibraryController::trackDownload(const QString& entryId, library::ModelDownload* download) {
    using State = library::ModelDownload::State;
    auto row = [this, entryId] { return rows_.rowOfEntry(entryId); };
    connect(download, &library::ModelDownload::progressChanged, this, [this, row](const library::DownloadProgress& p) {
        rows_.updateRow(row(), [&](LibraryRow& r) {
            r.progress = p.totalBytes > 0 ? double(p.receivedBytes) / double(p.totalBytes) : 0.0;
            r.bytesPerSecond = p.bytesPerSecond;
            r.etaSeconds = p.etaSeconds;
        });
    });
    connect(download, &library::ModelDownload::stateChanged, this, [this, row](State state) {
        rows_.updateRow(row(), [&](LibraryRow& r) {
            switch (state) {
            case State::Checking:
            case State::Downloading: r.downloadState = "downloading"; r.message.clear(); break;
            case State::Verifying: r.downloadState = "verifying"; break;
            case State::Paused: r.downloadState = "paused"; break;
            case State::Failed: r.downloadState = "failed"; break;
            default: r.downloadState.clear(); break;
            }
        });
    });
    connect(download, &library::ModelDownload::notice, this, [this, row](const QString& message) {
        rows_.updateRow(row(), [&](LibraryRow& r) { r.message = message; });
    });
    connect(download, &library::ModelDownload::failed, this, [this, row, entryId, download](const QString& message) {
        rows_.updateRow(row(), [&](LibraryRow& r) {
            r.downloadState = download->canResume() ? "paused" : "failed";
            r.message = message;
        });
        if (!download->canResume()) {
            downloads_.remove(entryId);
            download->deleteLater();
        }
    });
    connect(download, &library::ModelDownload::finished, this, [this, entryId, download](const library::DownloadResult& result) {
        downloads_.remove(entryId);
        download->deleteLater();
        emit downloaded(entryId, result.path);
        refresh(); // the file joins the library with its facts
    });
}

void LibraryController::pause(const QString& entryId) {
    if (auto* download = downloads_.value(entryId)) download->pause();
}

void LibraryController::cancel(const QString& entryId) {
    if (auto* download = downloads_.take(entryId)) {
        download->cancel();
        download->deleteLater();
        rows_.updateRow(rows_.rowOfEntry(entryId), [](LibraryRow& r) {
            r.downloadState.clear();
            r.progress = 0;
            r.message.clear();
        });
    }
}

void LibraryController::open(const QString& path) { model_.load(path); }

void LibraryController::addFolder(const QString& pathOrUrl) {
    const QUrl url(pathOrUrl);
    const QString path = url.isLocalFile() ? url.toLocalFile() : pathOrUrl;
    if (path.isEmpty() || roots_.userFolders.contains(path)) return;
    roots_.userFolders.push_back(path);
    refresh();
}

} // namespace lucent::app
