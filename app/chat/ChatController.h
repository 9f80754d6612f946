#pragma once
/// @file
/// @brief The chat page: the sidebar's conversations, the messages on screen, sending, stopping,
/// editing and regenerating (branches), and saving every reply while it streams.

#include "app/chat/ConversationListModel.h"
#include "app/chat/MessageModel.h"
#include "app/chat/ModelController.h"
#include "storage/ChatStore.h"
#include "storage/StreamingWriter.h"

#include <QObject>
#include <QTimer>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <optional>

namespace lucent::app {

class ChatController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created by the application.")
    Q_PROPERTY(lucent::app::ConversationListModel* conversations READ conversations CONSTANT)
    Q_PROPERTY(lucent::app::MessageModel* messages READ messages CONSTANT)
    Q_PROPERTY(qint64 conversationId READ conversationId NOTIFY conversationChanged)
    Q_PROPERTY(QString title READ title NOTIFY conversationChanged)
    Q_PROPERTY(bool generating READ generating NOTIFY generatingChanged)
    Q_PROPERTY(bool hideReasoning READ hideReasoning WRITE setHideReasoning NOTIFY settingsChanged)
    Q_PROPERTY(QString systemPrompt READ systemPrompt WRITE setSystemPrompt NOTIFY settingsChanged)
    Q_PROPERTY(QVariantMap settings READ settings NOTIFY settingsChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    /// What the error banner offers: "newChat" (the context is full), or "" (dismiss only).
    Q_PROPERTY(QString errorAction READ errorAction NOTIFY errorChanged)
    Q_PROPERTY(bool canUndoDelete READ canUndoDelete NOTIFY undoChanged)
public:
    /// @brief Works on `store` (taken over) and generates with `model`.
    ChatController(ChatStore store, ModelController& model, QObject* parent = nullptr);
    ~ChatController() override;

    ConversationListModel* conversations() { return &conversations_; }
    MessageModel* messages() { return &messages_; }
    qint64 conversationId() const { return conversation_.value_or(0); }
    QString title() const { return title_; }
    bool generating() const { return reply_.has_value(); }
    bool hideReasoning() const;
    void setHideReasoning(bool hide);
    QString systemPrompt() const { return QString::fromStdString(systemPrompt_); }
    void setSystemPrompt(const QString& prompt);
    /// @brief temperature, topP, topK, minP, repeatPenalty, maxTokens, seed (the chat's, else the model's defaults).
    QVariantMap settings() const;
    QString error() const { return error_; }
    QString errorAction() const { return errorAction_; }
    bool canUndoDelete() const { return deleted_.has_value(); }

    Q_INVOKABLE void newChat();
    Q_INVOKABLE void openConversation(qint64 id);
    /// @brief Sends a user message and starts the reply. Empty text or a reply in progress: nothing.
    Q_INVOKABLE void send(const QString& text);
    Q_INVOKABLE void stop();
    /// @brief Another reply to the same question (a sibling branch of `assistantMessageId`).
    Q_INVOKABLE void regenerate(qint64 assistantMessageId);
    /// @brief A changed question as a sibling of `userMessageId`, answered anew.
    Q_INVOKABLE void editMessage(qint64 userMessageId, const QString& text);
    /// @brief Shows the previous (-1) or next (+1) sibling branch of a message.
    Q_INVOKABLE void showSibling(qint64 messageId, int step);
    Q_INVOKABLE void renameConversation(qint64 id, const QString& title);
    Q_INVOKABLE void setPinned(qint64 id, bool pinned);
    /// @brief Hides a conversation; undoDelete() brings it back until the next delete.
    Q_INVOKABLE void deleteConversation(qint64 id);
    Q_INVOKABLE void undoDelete();
    /// @brief Full-text search: [{conversationId, messageId, title, snippet (rich text, matches bold)}].
    Q_INVOKABLE QVariantList search(const QString& query);
    /// @brief Opens a conversation at a message (a search result): the branch holding it becomes active.
    Q_INVOKABLE void openMessage(qint64 conversationId, qint64 messageId);
    Q_INVOKABLE void setSetting(const QString& name, const QVariant& value);
    Q_INVOKABLE void copyToClipboard(const QString& text);
    /// @brief The last fenced code block of the conversation's answers (Ctrl+Shift+C).
    Q_INVOKABLE QString lastCodeBlock() const;
    Q_INVOKABLE void dismissError();

signals:
    void conversationChanged();
    void generatingChanged();
    void settingsChanged();
    void errorChanged();
    void undoChanged();
    /// @brief The view should scroll to this row (after opening a search result).
    void showRow(int row);

private:
    void reportError(const QString& message, const QString& action = {});
    bool check(const Expected<void>& result);
    void reloadConversations();
    void reloadMessages();
    void startReply(MessageId parent);
    std::vector<ChatMessage> historyUpTo(MessageId last);
    SamplerSettings samplerSettings() const;
    void saveConversationSettings();
    void onDelta(quint64 id, const QString& reasoning, const QString& content);
    void onFinished(const GenerationOutcome& outcome);
    void onFailed(quint64 id, const QString& message);

    struct ActiveReply {
        quint64 id;
        MessageId message;
        std::unique_ptr<StreamingWriter> writer;
    };

    ChatStore store_;
    ModelController& model_;
    ConversationListModel conversations_;
    MessageModel messages_;
    std::optional<ConversationId> conversation_;
    QString title_;
    std::string systemPrompt_;
    QVariantMap chatSettings_; ///< this chat's overrides (stored as the conversation's settings JSON)
    std::optional<ActiveReply> reply_;
    quint64 nextReplyId_ = 1;
    std::optional<ConversationId> deleted_;
    QString error_;
    QString errorAction_;
    QTimer flushTimer_;
};

} // namespace lucent::app
