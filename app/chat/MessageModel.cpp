#include "app/chat/MessageModel.h"

#include <algorithm>
#include <map>

namespace lucent::app {

MessageModel::MessageModel(QObject* parent) : QAbstractListModel(parent) {}

int MessageModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

QVariant MessageModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const Row& row = rows_[size_t(index.row())];
    const Message& m = row.message;
    switch (role) {
    case IdRole: return qint64(m.id);
    case RoleRole: return QString::fromLatin1(roleName(m.role).data(), qsizetype(roleName(m.role).size()));
    case Qt::DisplayRole:
    case ContentRole: return QString::fromStdString(m.content);
    case ReasoningRole: return QString::fromStdString(m.reasoning);
    case ReasoningMsRole: return qint64(m.stats.reasoningMs);
    case StreamingRole: return row.streaming;
    // Still thinking: reasoning is arriving and no answer text yet.
    case ThinkingRole: return row.streaming && m.content.empty() && !m.reasoning.empty();
    case SiblingIndexRole: return row.siblingIndex;
    case SiblingCountRole: return row.siblingCount;
    case ModelRole: return QString::fromStdString(m.model);
    case TokensPerSecondRole: return m.stats.tokensPerSecond;
    case TokensRole: return qint64(m.stats.completionTokens);
    case FinishReasonRole:
        return m.finishReason ? QString::fromLatin1(finishReasonName(*m.finishReason).data()) : QString();
    default: return {};
    }
}

QHash<int, QByteArray> MessageModel::roleNames() const {
    return {{IdRole, "messageId"},       {RoleRole, "role"},           {ContentRole, "content"},
            {ReasoningRole, "reasoning"}, {ReasoningMsRole, "reasoningMs"}, {StreamingRole, "streaming"},
            {ThinkingRole, "thinking"},   {SiblingIndexRole, "siblingIndex"}, {SiblingCountRole, "siblingCount"},
            {ModelRole, "model"},         {TokensPerSecondRole, "tokensPerSecond"}, {TokensRole, "tokens"},
            {FinishReasonRole, "finishReason"}};
}

void MessageModel::setPath(const std::vector<Message>& path, const std::vector<Message>& all) {
    std::map<std::optional<MessageId>, std::vector<MessageId>> children; // parent → children, oldest first
    for (const Message& m : all) children[m.parent].push_back(m.id);
    beginResetModel();
    rows_.clear();
    for (const Message& m : path) {
        if (m.role == lucent::Role::System) continue;
        Row row{m, 0, 1, false};
        const auto& siblings = children[m.parent];
        row.siblingCount = int(siblings.size());
        row.siblingIndex = int(std::find(siblings.begin(), siblings.end(), m.id) - siblings.begin());
        rows_.push_back(std::move(row));
    }
    endResetModel();
}

void MessageModel::clear() {
    beginResetModel();
    rows_.clear();
    endResetModel();
}

void MessageModel::setStreaming(MessageId id, bool streaming) {
    const int row = rowOf(id);
    if (row < 0) return;
    rows_[size_t(row)].streaming = streaming;
    emit dataChanged(index(row), index(row), {StreamingRole, ThinkingRole});
}

void MessageModel::appendToStreaming(const QString& reasoning, const QString& content) {
    for (size_t i = rows_.size(); i-- > 0;) {
        if (!rows_[i].streaming) continue;
        Message& m = rows_[i].message;
        QList<int> roles = {ThinkingRole};
        if (!reasoning.isEmpty()) {
            m.reasoning += reasoning.toStdString();
            roles << ReasoningRole;
        }
        if (!content.isEmpty()) {
            m.content += content.toStdString();
            roles << ContentRole;
        }
        emit dataChanged(index(int(i)), index(int(i)), roles);
        return;
    }
}

void MessageModel::updateMessage(const Message& message) {
    const int row = rowOf(message.id);
    if (row < 0) return;
    rows_[size_t(row)].message = message;
    rows_[size_t(row)].streaming = false;
    emit dataChanged(index(row), index(row));
}

const Message* MessageModel::messageAt(int row) const {
    return row >= 0 && row < int(rows_.size()) ? &rows_[size_t(row)].message : nullptr;
}

int MessageModel::rowOf(qint64 messageId) const {
    for (size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].message.id == messageId) return int(i);
    return -1;
}

} // namespace lucent::app
