#pragma once
/// @file
/// @brief The messages on screen: the active branch of one conversation, with each message's place
/// among its siblings (‹ 2/3 ›) and the reply that is streaming in.

#include "storage/ChatTypes.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace lucent::app {

/// @brief One row per message of the active path (system prompts are not shown as rows).
class MessageModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The ChatController owns the messages.")
public:
    enum Role {
        IdRole = Qt::UserRole + 1, RoleRole, ContentRole, ReasoningRole, ReasoningMsRole, StreamingRole, ThinkingRole,
        SiblingIndexRole, SiblingCountRole, ModelRole, TokensPerSecondRole, TokensRole, FinishReasonRole,
    };

    explicit MessageModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// @brief Shows `path` (root first); `all` is every message of the conversation (for siblings).
    void setPath(const std::vector<Message>& path, const std::vector<Message>& all);
    void clear();

    /// @brief Marks the last row as the reply streaming in (or not).
    void setStreaming(MessageId id, bool streaming);
    /// @brief Adds streamed text to the streaming row; signals only the roles that changed.
    void appendToStreaming(const QString& reasoning, const QString& content);
    /// @brief Replaces a row with what the store now holds (after a reply finished).
    void updateMessage(const Message& message);

    const Message* messageAt(int row) const;
    /// @brief Row of a message, or -1.
    Q_INVOKABLE int rowOf(qint64 messageId) const;

private:
    struct Row {
        Message message;
        int siblingIndex = 0;
        int siblingCount = 1;
        bool streaming = false;
    };
    std::vector<Row> rows_;
};

} // namespace lucent::app
