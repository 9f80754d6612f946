#pragma once
/// @file
/// @brief The sidebar's conversations: pinned first, then newest first, each with the date group
/// it is shown under (Today, Yesterday, Previous 7 days, …).

#include "storage/ChatTypes.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace lucent {
class ChatStore;
}

namespace lucent::app {

/// @brief Conversations as ChatStore lists them. Reload with refresh() after changes.
class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The ChatController owns the conversation list.")
public:
    enum Role { IdRole = Qt::UserRole + 1, TitleRole, SectionRole, PinnedRole, UpdatedRole };

    explicit ConversationListModel(ChatStore& store, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// @brief Reads the list again (resets the model); errors are reported through the return value.
    QString refresh();
    /// @brief Row of a conversation, or -1.
    Q_INVOKABLE int rowOf(qint64 conversationId) const;

    /// @brief The group a conversation updated at `updatedMs` is shown under, relative to `now`.
    static QString dateSection(qint64 updatedMs, const QDateTime& now);

    /// @brief For tests: the clock sections are computed against.
    void setNow(const QDateTime& now) { now_ = now; }

private:
    ChatStore& store_;
    std::vector<Conversation> rows_;
    QDateTime now_;
};

} // namespace lucent::app
