#include "app/chat/LibraryModel.h"

#include <QFileInfo>

namespace lucent::app {

LibraryModel::LibraryModel(QObject* parent) : QAbstractListModel(parent) {}

int LibraryModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

QVariant LibraryModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const LibraryRow& row = rows_[index.row()];
    const bool isLocal = row.local.has_value();
    switch (role) {
    case KindRole: return isLocal ? QStringLiteral("local") : QStringLiteral("catalog");
    case IdRole: return row.entry ? row.entry->id : QString();
    case Qt::DisplayRole:
    case TitleRole:
        if (row.entry) return row.entry->name;
        if (!row.local->facts.name.isEmpty()) return row.local->facts.name;
        return row.local->displayName;
    case DetailRole: {
        QStringList parts;
        if (row.entry) parts << row.entry->parameters << row.entry->quantization << row.entry->architecture;
        else if (row.local->problem.isEmpty())
            parts << row.local->facts.architecture << QString::number(double(row.local->facts.parameters) / 1e9, 'f', 1) + "B"
                  << row.local->facts.quantization << tr("%1 tokens context").arg(row.local->facts.contextLength);
        return parts.join(QStringLiteral(" · "));
    }
    case SourceRole: return isLocal ? library::modelSourceName(row.local->source) : tr("Download");
    case PathRole: return isLocal ? row.local->path : QString();
    case SizeRole: return isLocal ? row.local->facts.fileBytes : (row.entry ? row.entry->approxBytes : 0);
    case FitsRole: return row.fits;
    case RecommendedRole: return row.recommended;
    case EstimateRole: return qint64(row.estimateBytes);
    case DownloadStateRole: return row.downloadState;
    case ProgressRole: return row.progress;
    case SpeedRole: return row.bytesPerSecond;
    case EtaRole: return row.etaSeconds;
    case MessageRole: return row.message;
    case ProblemRole: return isLocal ? row.local->problem : QString();
    default: return {};
    }
}

QHash<int, QByteArray> LibraryModel::roleNames() const {
    return {{KindRole, "kind"},         {IdRole, "entryId"},         {TitleRole, "title"},
            {DetailRole, "detail"},     {SourceRole, "source"},      {PathRole, "path"},
            {SizeRole, "sizeBytes"},    {FitsRole, "fits"},          {RecommendedRole, "recommended"},
            {EstimateRole, "estimateBytes"}, {DownloadStateRole, "downloadState"}, {ProgressRole, "progress"},
            {SpeedRole, "bytesPerSecond"}, {EtaRole, "etaSeconds"}, {MessageRole, "message"},
            {ProblemRole, "problem"}};
}

void LibraryModel::setRows(QList<LibraryRow> rows) {
    beginResetModel();
    rows_ = std::move(rows);
    endResetModel();
}

int LibraryModel::rowOfEntry(const QString& id) const {
    for (qsizetype i = 0; i < rows_.size(); ++i)
        if (rows_[i].entry && rows_[i].entry->id == id) return int(i);
    return -1;
}

} // namespace lucent::app
