#include "app/chat/ConversationListModel.h"

#include "storage/ChatStore.h"

namespace lucent::app {
namespace {
constexpr int kListed = 500; // the sidebar shows the newest 500; search reaches the rest
}

ConversationListModel::ConversationListModel(ChatStore& store, QObject* parent) : QAbstractListModel(parent), store_(store) {}

int ConversationListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

QVariant ConversationListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const Conversation& c = rows_[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole: return c.title.empty() ? tr("New chat") : QString::fromStdString(c.title);
    case IdRole: return qint64(c.id);
    case SectionRole: return c.pinned ? tr("Pinned") : dateSection(c.updatedAt, now_.isValid() ? now_ : QDateTime::currentDateTime());
    case PinnedRole: return c.pinned;
    case UpdatedRole: return QDateTime::fromMSecsSinceEpoch(c.updatedAt);
    default: return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const {
    return {{IdRole, "conversationId"}, {TitleRole, "title"}, {SectionRole, "section"}, {PinnedRole, "pinned"}, {UpdatedRole, "updated"}};
}

QString ConversationListModel::refresh() {
    auto listed = store_.listRecent(kListed);
    if (!listed) return QString::fromStdString(listed.error().message);
    // Pinned first (in their recency order), then the rest: the sections stay contiguous.
    std::stable_partition(listed->begin(), listed->end(), [](const Conversation& c) { return c.pinned; });
    beginResetModel();
    rows_ = std::move(*listed);
    endResetModel();
    return {};
}

int ConversationListModel::rowOf(qint64 conversationId) const {
    for (size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].id == conversationId) return int(i);
    return -1;
}

QString ConversationListModel::dateSection(qint64 updatedMs, const QDateTime& now) {
    const QDate day = QDateTime::fromMSecsSinceEpoch(updatedMs).date();
    const qint64 daysAgo = day.daysTo(now.date());
    if (daysAgo <= 0) return tr("Today");
    if (daysAgo == 1) return tr("Yesterday");
    if (daysAgo < 7) return tr("Previous 7 days");
    if (daysAgo < 30) return tr("Previous 30 days");
    if (day.year() == now.date().year()) return QLocale().standaloneMonthName(day.month());
    return QString::number(day.year());
}

} // namespace lucent::app
