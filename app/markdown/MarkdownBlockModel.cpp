#include "app/markdown/MarkdownBlockModel.h"

namespace lucent::app {
namespace {

MarkdownPalette paletteFor(bool dark) {
    MarkdownPalette palette;
    if (dark) {
        palette.link = QColor(0x7a, 0xa2, 0xff);
        palette.inlineCodeBackground = QColor(0x2b, 0x2d, 0x31);
        palette.quote = QColor(0x9a, 0x9c, 0xa3);
        palette.tableBorder = QColor(0x3a, 0x3c, 0x42);
    }
    return palette;
}

} // namespace

MarkdownBlockModel::MarkdownBlockModel(QObject* parent) : QAbstractListModel(parent) {}

int MarkdownBlockModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(blocks_.size()); }

QVariant MarkdownBlockModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const MarkdownBlock& block = blocks_[index.row()];
    switch (role) {
    case KindRole: return block.kind == MarkdownBlock::Kind::Code ? QStringLiteral("code") : QStringLiteral("prose");
    case Qt::DisplayRole:
    case HtmlRole: return block.html;
    case CodeRole: return block.code;
    case LanguageRole: return block.language;
    default: return {};
    }
}

QHash<int, QByteArray> MarkdownBlockModel::roleNames() const {
    return {{KindRole, "kind"}, {HtmlRole, "html"}, {CodeRole, "code"}, {LanguageRole, "language"}};
}

void MarkdownBlockModel::setMarkdown(const QString& markdown) {
    if (markdown == markdown_) return;
    markdown_ = markdown;
    update();
    emit markdownChanged();
}

void MarkdownBlockModel::setDark(bool dark) {
    if (dark == dark_) return;
    dark_ = dark;
    update();
    emit darkChanged();
}

void MarkdownBlockModel::update() {
    QList<MarkdownBlock> blocks = parseMarkdownBlocks(markdown_, paletteFor(dark_));
    const qsizetype common = std::min(blocks.size(), blocks_.size());
    // A block that changed kind is replaced (its delegate differs); others are updated in place.
    qsizetype kept = 0;
    while (kept < common && blocks[kept].kind == blocks_[kept].kind) ++kept;
    for (qsizetype i = 0; i < kept; ++i) {
        if (blocks[i] == blocks_[i]) continue;
        QList<int> roles;
        if (blocks[i].html != blocks_[i].html) roles << HtmlRole << Qt::DisplayRole;
        if (blocks[i].code != blocks_[i].code) roles << CodeRole;
        if (blocks[i].language != blocks_[i].language) roles << LanguageRole;
        blocks_[i] = blocks[i];
        emit dataChanged(index(int(i)), index(int(i)), roles);
    }
    if (blocks_.size() > kept) {
        beginRemoveRows({}, int(kept), int(blocks_.size() - 1));
        blocks_.resize(kept);
        endRemoveRows();
    }
    if (blocks.size() > kept) {
        beginInsertRows({}, int(kept), int(blocks.size() - 1));
        blocks_.append(blocks.mid(kept));
        endInsertRows();
    }
}

} // namespace lucent::app
