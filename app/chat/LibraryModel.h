#pragma once
/// @file
/// @brief The model library's rows: the curated catalog (downloadable) and the GGUF files found on
/// this computer (Lucent's own and other apps'), each with its facts, whether it fits the device at
/// the chosen context, and a download's progress.

#include "app/library/LocalModel.h"
#include "app/library/ModelCatalog.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include <optional>

namespace lucent::app {

/// @brief One row: a catalog entry (maybe downloaded or downloading) or a local file.
struct LibraryRow {
    std::optional<library::CatalogEntry> entry; ///< set for catalog rows
    std::optional<library::LocalModel> local;   ///< set for local files (and downloaded catalog rows)
    quint64 estimateBytes = 0;                  ///< weights + KV cache at the chosen context
    bool fits = true;
    bool recommended = false;
    QString downloadState; ///< "", "downloading", "paused", "verifying", "failed"
    double progress = 0;   ///< 0..1
    double bytesPerSecond = 0;
    qint64 etaSeconds = -1;
    QString message;       ///< a download's error or notice
};

class LibraryModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The LibraryController owns the library.")
public:
    enum Role {
        KindRole = Qt::UserRole + 1, IdRole, TitleRole, DetailRole, SourceRole, PathRole, SizeRole, FitsRole,
        RecommendedRole, EstimateRole, DownloadStateRole, ProgressRole, SpeedRole, EtaRole, MessageRole, ProblemRole,
    };

    explicit LibraryModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setRows(QList<LibraryRow> rows);
    const QList<LibraryRow>& rows() const { return rows_; }
    /// @brief Row of a catalog id, or -1.
    int rowOfEntry(const QString& id) const;
    /// @brief Changes one row in place (signals only that row).
    template <typename F>
    void updateRow(int row, F change) {
        if (row < 0 || row >= rows_.size()) return;
        change(rows_[row]);
        emit dataChanged(index(row), index(row));
    }

private:
    QList<LibraryRow> rows_;
};

} // namespace lucent::app
