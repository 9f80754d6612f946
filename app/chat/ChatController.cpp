#include "app/chat/ChatController.h"

#include "app/markdown/MarkdownBlocks.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <map>

namespace lucent::app {
namespace {

constexpr int kTitleLength = 60;

QString firstLine(const QString& text) {
    QString line = text.trimmed().section('\n', 0, 0).simplified();
    if (line.size() > kTitleLength) line = line.left(kTitleLength - 1).trimmed() + QChar(0x2026);
    return line;
}

FinishReason finishReasonOf(StopReason stop) {
    switch (stop) {
    case StopReason::EndOfGeneration: return FinishReason::Stop;
    case StopReason::Cancelled: return FinishReason::Cancelled;
    case StopReason::TokenLimit:
    case StopReason::ContextFull: return FinishReason::Length;
    }
    return FinishReason::Stop;
}

// The newest branch below `id`: follows the latest child down to a leaf.
MessageId newestLeafUnder(MessageId id, const std::vector<Message>& all) {
    std::map<MessageId, MessageId> newestChild;
    for (const Message& m : all)
        if (m.parent) newestChild[*m.parent] = m.id; // all is oldest first: the last write wins
    for (auto it = newestChild.find(id); it != newestChild.end(); it = newestChild.find(id)) id = it->second;
    return id;
}

QString richSnippet(const SearchHit& hit) {
    QString out;
    size_t at = 0;
    auto plain = [&](size_t from, size_t to) { out += QString::fromStdString(hit.snippet.substr(from, to - from)).toHtmlEscaped(); };
    for (const Highlight& h : hit.highlights) {
        plain(at, h.offset);
        out += "<b>" + QString::fromStdString(hit.snippet.substr(h.offset, h.length)).toHtmlEscaped() + "</b>";
        at = h.offset + h.length;
    }
    plain(at, hit.snippet.size());
    return out;
}

} // namespace

ChatController::ChatController(ChatStore store, ModelController& model, QObject* parent)
    : QObject(parent), store_(std::move(store)), model_(model), conversations_(store_) {
    if (auto closed = store_.closeInterruptedReplies(); !closed) reportError(QString::fromStdString(closed.error().message));
    reloadConversations();
    connect(&model_, &ModelController::replyDelta, this, &ChatController::onDelta);
    connect(&model_, &ModelController::replyFinished, this, &ChatController::onFinished);
    connect(&model_, &ModelController::replyFailed, this, &ChatController::onFailed);
    connect(&model_, &ModelController::modelReady, this, &ChatController::settingsChanged); // the model's defaults
    flushTimer_.setInterval(1000); // a reply is on disk at least every second while it streams
    connect(&flushTimer_, &QTimer::timeout, this, [this] {
        if (reply_) check(reply_->writer->flushIfDue());
    });
}

ChatController::~ChatController() {
    if (reply_) { // quitting mid-reply: keep what arrived, marked as cancelled
        model_.stop();
        check(reply_->writer->finish({}, FinishReason::Cancelled));
    }
}

void ChatController::reportError(const QString& message, const QString& action) {
    error_ = message;
    errorAction_ = action;
    emit errorChanged();
}

bool ChatController::check(const Expected<void>& result) {
    if (result) return true;
    reportError(QString::fromStdString(result.error().message));
    return false;
}

void ChatController::dismissError() {
    error_.clear();
    errorAction_.clear();
    emit errorChanged();
}

void ChatController::reloadConversations() {
    if (const QString problem = conversations_.refresh(); !problem.isEmpty()) reportError(problem);
}

void ChatController::reloadMessages() {
    if (!conversation_) {
        messages_.clear();
        return;
    }
    auto path = store_.activePath(*conversation_);
    auto all = store_.messages(*conversation_);
    if (!path || !all) {
        reportError(QString::fromStdString((!path ? path.error() : all.error()).message));
        return;
    }
    messages_.setPath(*path, *all);
}

void ChatController::newChat() {
    if (reply_) return;
    conversation_.reset();
    title_.clear();
    systemPrompt_.clear();
    chatSettings_.clear();
    messages_.clear();
    emit conversationChanged();
    emit settingsChanged();
}

void ChatController::openConversation(qint64 id) {
    if (reply_) return;
    auto conversation = store_.conversation(id);
    if (!conversation) {
        reportError(QString::fromStdString(conversation.error().message));
        return;
    }
    conversation_ = id;
    title_ = QString::fromStdString(conversation->title);
    systemPrompt_ = conversation->systemPrompt;
    chatSettings_ = QJsonDocument::fromJson(QByteArray::fromStdString(conversation->settingsJson)).object().toVariantMap();
    reloadMessages();
    emit conversationChanged();
    emit settingsChanged();
}

void ChatController::send(const QString& text) {
    if (text.trimmed().isEmpty() || reply_) return;
    if (!model_.loaded()) {
        reportError(tr("Load a model first: choose a GGUF file with \"Open model\"."));
        return;
    }
    std::optional<MessageId> parent;
    if (!conversation_) {
        NewConversation fields;
        fields.title = firstLine(text).toStdString();
        fields.model = model_.name().toStdString();
        fields.systemPrompt = systemPrompt_;
        fields.settingsJson = QJsonDocument(QJsonObject::fromVariantMap(chatSettings_)).toJson(QJsonDocument::Compact).toStdString();
        auto created = store_.createConversation(fields);
        if (!created) return reportError(QString::fromStdString(created.error().message));
        conversation_ = *created;
        title_ = QString::fromStdString(fields.title);
        emit conversationChanged();
    } else {
        auto conversation = store_.conversation(*conversation_);
        if (!conversation) return reportError(QString::fromStdString(conversation.error().message));
        parent = conversation->activeLeaf;
    }
    NewMessage message;
    message.role = Role::User;
    message.content = text.toStdString();
    auto id = store_.appendMessage(*conversation_, parent, message);
    if (!id) return reportError(QString::fromStdString(id.error().message));
    startReply(*id);
}

std::vector<ChatMessage> ChatController::historyUpTo(MessageId last) {
    std::vector<ChatMessage> history;
    auto all = store_.messages(*conversation_);
    if (!all) return history;
    std::map<MessageId, const Message*> byId;
    for (const Message& m : *all) byId[m.id] = &m;
    std::vector<const Message*> path;
    for (auto it = byId.find(last); it != byId.end(); it = it->second->parent ? byId.find(*it->second->parent) : byId.end())
        path.push_back(it->second);
    if (!systemPrompt_.empty()) history.push_back({"system", systemPrompt_, std::nullopt});
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
        const Message& m = **it;
        ChatMessage chat{std::string(roleName(m.role)), m.content, std::nullopt};
        if (!m.reasoning.empty()) chat.reasoning = m.reasoning;
        history.push_back(std::move(chat));
    }
    return history;
}

void ChatController::startReply(MessageId parent) {
    if (!model_.loaded()) {
        reportError(tr("Load a model first: choose a GGUF file with \"Open model\"."));
        reloadMessages();
        return;
    }
    const std::string settingsJson = QJsonDocument(QJsonObject::fromVariantMap(settings())).toJson(QJsonDocument::Compact).toStdString();
    auto replyId = store_.beginStreamingReply(*conversation_, parent, model_.name().toStdString(), settingsJson);
    if (!replyId) return reportError(QString::fromStdString(replyId.error().message));

    GenerationRequest request;
    request.id = nextReplyId_++;
    request.messages = historyUpTo(parent);
    request.sampling = samplerSettings();
    request.maxTokens = settings().value("maxTokens").toInt();
    reply_ = ActiveReply{request.id, *replyId, std::make_unique<StreamingWriter>(store_, *replyId)};

    reloadMessages();
    messages_.setStreaming(*replyId, true);
    reloadConversations();
    flushTimer_.start();
    emit generatingChanged();
    model_.generate(request);
}

void ChatController::onDelta(quint64 id, const QString& reasoning, const QString& content) {
    if (!reply_ || reply_->id != id) return;
    if (!reasoning.isEmpty()) check(reply_->writer->appendReasoning(reasoning.toStdString()));
    if (!content.isEmpty()) check(reply_->writer->appendContent(content.toStdString()));
    messages_.appendToStreaming(reasoning, content);
}

void ChatController::onFinished(const GenerationOutcome& outcome) {
    if (!reply_ || reply_->id != outcome.id) return;
    ReplyStats stats;
    stats.promptTokens = outcome.promptTokens + outcome.reusedTokens;
    stats.completionTokens = outcome.generatedTokens;
    stats.tokensPerSecond = outcome.tokensPerSecond;
    stats.reasoningMs = outcome.reasoningMs;
    check(reply_->writer->finish(stats, finishReasonOf(outcome.stop)));
    const MessageId message = reply_->message;
    reply_.reset();
    flushTimer_.stop();
    if (auto stored = store_.message(message)) messages_.updateMessage(*stored);
    if (outcome.stop == StopReason::ContextFull)
        reportError(tr("The conversation filled the model's context of %1 tokens. Start a new chat, or load the model with a longer context.")
                        .arg(model_.contextLength()),
                    QStringLiteral("newChat"));
    reloadConversations();
    emit generatingChanged();
}

void ChatController::onFailed(quint64 id, const QString& message) {
    if (!reply_ || reply_->id != id) return;
    check(reply_->writer->finish({}, FinishReason::Error));
    const MessageId stored = reply_->message;
    reply_.reset();
    flushTimer_.stop();
    if (auto m = store_.message(stored)) messages_.updateMessage(*m);
    reportError(tr("The reply failed: %1").arg(message));
    emit generatingChanged();
}

void ChatController::stop() {
    if (reply_) model_.stop();
}

void ChatController::regenerate(qint64 assistantMessageId) {
    if (reply_ || !conversation_) return;
    auto message = store_.message(assistantMessageId);
    if (!message || !message->parent) return;
    startReply(*message->parent);
}

void ChatController::editMessage(qint64 userMessageId, const QString& text) {
    if (reply_ || !conversation_ || text.trimmed().isEmpty()) return;
    auto original = store_.message(userMessageId);
    if (!original) return reportError(QString::fromStdString(original.error().message));
    NewMessage message;
    message.role = Role::User;
    message.content = text.toStdString();
    auto id = store_.appendMessage(*conversation_, original->parent, message);
    if (!id) return reportError(QString::fromStdString(id.error().message));
    startReply(*id);
}

void ChatController::showSibling(qint64 messageId, int step) {
    if (reply_ || !conversation_) return;
    auto siblings = store_.siblings(messageId);
    auto all = store_.messages(*conversation_);
    if (!siblings || !all) return;
    const auto it = std::find_if(siblings->begin(), siblings->end(), [&](const Message& m) { return m.id == messageId; });
    if (it == siblings->end()) return;
    const auto target = (it - siblings->begin()) + step;
    if (target < 0 || target >= qsizetype(siblings->size())) return;
    if (check(store_.setActiveLeaf(*conversation_, newestLeafUnder((*siblings)[size_t(target)].id, *all)))) reloadMessages();
}

void ChatController::openMessage(qint64 conversationId, qint64 messageId) {
    openConversation(conversationId);
    if (conversation_ != conversationId) return;
    auto all = store_.messages(conversationId);
    if (all && check(store_.setActiveLeaf(conversationId, newestLeafUnder(messageId, *all)))) reloadMessages();
    emit showRow(messages_.rowOf(messageId));
}

void ChatController::renameConversation(qint64 id, const QString& title) {
    if (title.trimmed().isEmpty()) return;
    if (!check(store_.rename(id, title.trimmed().toStdString()))) return;
    if (conversation_ == id) {
        title_ = title.trimmed();
        emit conversationChanged();
    }
    reloadConversations();
}

void ChatController::setPinned(qint64 id, bool pinned) {
    if (check(store_.setPinned(id, pinned))) reloadConversations();
}

void ChatController::deleteConversation(qint64 id) {
    if (reply_ && conversation_ == id) return;
    if (!check(store_.deleteConversation(id))) return;
    deleted_ = id;
    emit undoChanged();
    if (conversation_ == id) newChat();
    reloadConversations();
}

void ChatController::undoDelete() {
    if (!deleted_) return;
    const ConversationId id = *deleted_;
    deleted_.reset();
    emit undoChanged();
    if (check(store_.restoreConversation(id))) reloadConversations();
}

QVariantList ChatController::search(const QString& query) {
    QVariantList results;
    auto hits = store_.search(query.toStdString(), 30);
    if (!hits) {
        reportError(QString::fromStdString(hits.error().message));
        return results;
    }
    for (const SearchHit& hit : *hits)
        results.push_back(QVariantMap{{"conversationId", qint64(hit.conversation)},
                                      {"messageId", qint64(hit.message)},
                                      {"title", QString::fromStdString(hit.conversationTitle)},
                                      {"snippet", richSnippet(hit)}});
    return results;
}

QVariantMap ChatController::settings() const {
    const SamplerSettings defaults = model_.description().recommended;
    QVariantMap values{{"temperature", double(defaults.temperature)}, {"topP", double(defaults.topP)},
                       {"topK", defaults.topK},                       {"minP", double(defaults.minP)},
                       {"repeatPenalty", double(defaults.repeatPenalty)}, {"maxTokens", 4096},
                       {"seed", -1}};
    for (auto it = chatSettings_.begin(); it != chatSettings_.end(); ++it)
        if (values.contains(it.key())) values[it.key()] = it.value();
    return values;
}

SamplerSettings ChatController::samplerSettings() const {
    const QVariantMap values = settings();
    SamplerSettings sampling;
    sampling.temperature = values["temperature"].toFloat();
    sampling.topP = values["topP"].toFloat();
    sampling.topK = values["topK"].toInt();
    sampling.minP = values["minP"].toFloat();
    sampling.repeatPenalty = values["repeatPenalty"].toFloat();
    const int seed = values["seed"].toInt();
    sampling.seed = seed >= 0 ? uint32_t(seed) : QRandomGenerator::global()->generate(); // -1: a new draw per reply
    return sampling;
}

void ChatController::setSetting(const QString& name, const QVariant& value) {
    chatSettings_[name] = value;
    saveConversationSettings();
    emit settingsChanged();
}

bool ChatController::hideReasoning() const { return chatSettings_.value("hideReasoning").toBool(); }

void ChatController::setHideReasoning(bool hide) {
    if (hide == hideReasoning()) return;
    setSetting("hideReasoning", hide);
}

void ChatController::setSystemPrompt(const QString& prompt) {
    if (prompt.toStdString() == systemPrompt_) return;
    systemPrompt_ = prompt.toStdString();
    saveConversationSettings();
    emit settingsChanged();
}

void ChatController::saveConversationSettings() {
    if (!conversation_) return; // a new chat keeps them until its first message creates it
    const std::string json = QJsonDocument(QJsonObject::fromVariantMap(chatSettings_)).toJson(QJsonDocument::Compact).toStdString();
    check(store_.setGenerationDefaults(*conversation_, model_.name().toStdString(), systemPrompt_, json));
}

void ChatController::copyToClipboard(const QString& text) {
    if (auto* clipboard = QGuiApplication::clipboard()) clipboard->setText(text);
}

QString ChatController::lastCodeBlock() const {
    // The newest answer's last code block, as the Markdown parser sees it (a fence still streaming counts).
    for (int row = messages_.rowCount() - 1; row >= 0; --row) {
        const Message* m = messages_.messageAt(row);
        if (!m || m->role != Role::Assistant) continue;
        const auto blocks = parseMarkdownBlocks(QString::fromStdString(m->content));
        for (auto it = blocks.rbegin(); it != blocks.rend(); ++it)
            if (it->kind == MarkdownBlock::Kind::Code) return it->code;
    }
    return {};
}

} // namespace lucent::app
