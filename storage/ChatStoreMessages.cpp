// ChatStore: the message tree — appending, streaming replies, branches and the active path.
#include "storage/ChatStore.h"
#include "storage/MessageSql.h"

#include "storage/Statement.h"
#include "storage/Transaction.h"

namespace lucent {
namespace {

#define LUCENT_MESSAGE_COLUMNS                                                                     \
    "m.id, m.conversation_id, m.parent_id, m.role, m.content, m.reasoning, m.model, "             \
    "m.settings_json, m.prompt_tokens, m.completion_tokens, m.tokens_per_second, "                \
    "m.reasoning_ms, m.finish_reason, m.created_at, m.updated_at, m.finished_at"



constexpr const char* kMessageConversation = "SELECT conversation_id FROM messages WHERE id = :id";

constexpr const char* kUpdateStreaming = R"sql(
UPDATE messages SET content = :content, reasoning = :reasoning, updated_at = :now
WHERE id = :id AND role = 'assistant' AND finish_reason IS NULL
)sql";

constexpr const char* kFinishReply = R"sql(
UPDATE messages SET content = :content, reasoning = :reasoning, prompt_tokens = :prompt_tokens,
    completion_tokens = :completion_tokens, tokens_per_second = :tokens_per_second,
    reasoning_ms = :reasoning_ms, finish_reason = :finish_reason, updated_at = :now,
    finished_at = :now
WHERE id = :id AND role = 'assistant' AND finish_reason IS NULL
)sql";

constexpr const char* kCloseInterrupted = R"sql(
UPDATE messages SET finish_reason = 'cancelled', finished_at = updated_at
WHERE role = 'assistant' AND finish_reason IS NULL
)sql";

constexpr const char* kSelectMessage =
    "SELECT " LUCENT_MESSAGE_COLUMNS " FROM messages AS m WHERE m.id = :id";

constexpr const char* kSelectConversationMessages =
    "SELECT " LUCENT_MESSAGE_COLUMNS " FROM messages AS m WHERE m.conversation_id = :conversation "
    "ORDER BY m.id";

// `IS` so that first messages (parent NULL) are siblings of each other.
constexpr const char* kSelectSiblings = "SELECT " LUCENT_MESSAGE_COLUMNS R"sql(
FROM messages AS m, messages AS me
WHERE me.id = :id AND m.conversation_id = me.conversation_id AND m.parent_id IS me.parent_id
ORDER BY m.id
)sql";

// Walks up from the active leaf; depth orders the path from the first message down.
constexpr const char* kSelectActivePath = R"sql(
WITH RECURSIVE path (id, depth) AS (
    SELECT active_leaf_id, 0 FROM conversations
    WHERE id = :conversation AND active_leaf_id IS NOT NULL
    UNION ALL
    SELECT parent.parent_id, path.depth + 1 FROM messages AS parent JOIN path ON parent.id = path.id
    WHERE parent.parent_id IS NOT NULL
)
SELECT )sql" LUCENT_MESSAGE_COLUMNS R"sql( FROM path JOIN messages AS m ON m.id = path.id
ORDER BY path.depth DESC
)sql";

// The newest message at the end of the branch through :message.
constexpr const char* kNewestLeafBelow = R"sql(
WITH RECURSIVE below (id) AS (
    SELECT :message
    UNION ALL
    SELECT child.id FROM messages AS child JOIN below ON child.parent_id = below.id
)
SELECT max(below.id) FROM below
WHERE NOT EXISTS (SELECT 1 FROM messages AS child WHERE child.parent_id = below.id)
)sql";

#undef LUCENT_MESSAGE_COLUMNS

Message readMessage(const Statement& row) {
    Message message;
    message.id = row.columnInt(0);
    message.conversation = row.columnInt(1);
    message.parent = row.columnOptionalInt(2);
    message.role = roleFromName(row.columnText(3)).value_or(Role::User); // CHECK keeps it valid
    message.content = row.columnText(4);
    message.reasoning = row.columnText(5);
    message.model = row.columnText(6);
    message.settingsJson = row.columnText(7);
    message.stats.promptTokens = row.columnInt(8);
    message.stats.completionTokens = row.columnInt(9);
    message.stats.tokensPerSecond = row.columnDouble(10);
    message.stats.reasoningMs = row.columnInt(11);
    if (!row.columnIsNull(12)) message.finishReason = finishReasonFromName(row.columnText(12));
    message.createdAt = row.columnInt(13);
    message.updatedAt = row.columnInt(14);
    message.finishedAt = row.columnOptionalInt(15);
    return message;
}

Expected<std::vector<Message>> readMessages(Statement& select) {
    std::vector<Message> result;
    for (;;) {
        auto row = select.step();
        if (!row) return fail(row.error());
        if (!*row) return result;
        result.push_back(readMessage(select));
    }
}

Error notAReplyInProgress(MessageId id) {
    return Error{"Message " + std::to_string(id) +
                 " is not a reply in progress (it does not exist or has already finished)."};
}

} // namespace

Expected<void> ChatStore::requireMessageIn(ConversationId conversation, MessageId message) {
    auto select = db_.prepare(kMessageConversation);
    if (!select) return fail(select.error());
    select->bind(":id", message);
    auto row = select->step();
    if (!row) return fail(row.error());
    if (!*row || select->columnInt(0) != conversation)
        return fail("Message " + std::to_string(message) + " is not part of conversation " +
                    std::to_string(conversation) + ".");
    return {};
}

Expected<MessageId> ChatStore::insertMessage(ConversationId conversation,
                                             std::optional<MessageId> parent,
                                             const NewMessage& message, bool finished) {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return fail(transaction.error());
    const std::int64_t now = nowMilliseconds();
    if (auto touched = touchConversation(conversation, now); !touched) return fail(touched.error());
    if (parent)
        if (auto inside = requireMessageIn(conversation, *parent); !inside) return fail(inside.error());

    auto insert = db_.prepare(sql::kInsertMessage);
    if (!insert) return fail(insert.error());
    std::optional<FinishReason> reason = message.finishReason;
    if (finished && !reason && message.role == Role::Assistant) reason = FinishReason::Stop;
    insert->bind(":conversation", conversation)
        .bind(":parent", parent)
        .bind(":role", roleName(message.role))
        .bind(":content", message.content)
        .bind(":reasoning", message.reasoning)
        .bind(":model", message.model)
        .bind(":settings_json", message.settingsJson)
        .bind(":prompt_tokens", message.stats.promptTokens)
        .bind(":completion_tokens", message.stats.completionTokens)
        .bind(":tokens_per_second", message.stats.tokensPerSecond)
        .bind(":reasoning_ms", message.stats.reasoningMs)
        .bind(":created_at", now)
        .bind(":updated_at", now)
        .bind(":finished_at", finished ? std::optional<std::int64_t>(now) : std::nullopt);
    if (reason) insert->bind(":finish_reason", finishReasonName(*reason));
    else insert->bindNull(":finish_reason");
    if (auto ran = insert->run(); !ran) return fail(ran.error());
    const MessageId id = db_.lastInsertId();

    auto activate = db_.prepare(sql::kSetActiveLeaf);
    if (!activate) return fail(activate.error());
    activate->bind(":message", id).bind(":conversation", conversation);
    if (auto ran = activate->run(); !ran) return fail(ran.error());
    if (auto committed = transaction->commit(); !committed) return fail(committed.error());
    return id;
}

Expected<MessageId> ChatStore::appendMessage(ConversationId conversation,
                                             std::optional<MessageId> parent,
                                             const NewMessage& message) {
    return insertMessage(conversation, parent, message, true);
}

Expected<MessageId> ChatStore::beginStreamingReply(ConversationId conversation, MessageId parent,
                                                   std::string_view model,
                                                   std::string_view settingsJson) {
    NewMessage reply;
    reply.role = Role::Assistant;
    reply.model = model;
    reply.settingsJson = settingsJson;
    return insertMessage(conversation, parent, reply, false);
}

Expected<void> ChatStore::updateStreamingReply(MessageId id, std::string_view content,
                                               std::string_view reasoning) {
    auto update = db_.prepare(kUpdateStreaming);
    if (!update) return fail(update.error());
    update->bind(":content", content)
        .bind(":reasoning", reasoning)
        .bind(":now", nowMilliseconds())
        .bind(":id", id);
    // In WAL mode synchronous=NORMAL still survives the app crashing (only an OS crash or power
    // loss can drop these frames); a fsync per flush would only slow streaming down.
    if (auto relaxed = db_.exec("PRAGMA synchronous = NORMAL"); !relaxed) return relaxed;
    auto ran = update->run();
    (void)db_.exec("PRAGMA synchronous = FULL");
    if (!ran) return ran;
    if (db_.changes() == 0) return fail(notAReplyInProgress(id));
    return {};
}

Expected<void> ChatStore::finishReply(MessageId id, std::string_view content,
                                      std::string_view reasoning, const ReplyStats& stats,
                                      FinishReason reason) {
    auto current = message(id);
    if (!current) return fail(current.error());
    auto transaction = Transaction::begin(db_);
    if (!transaction) return fail(transaction.error());
    const std::int64_t now = nowMilliseconds();
    auto update = db_.prepare(kFinishReply);
    if (!update) return fail(update.error());
    update->bind(":content", content)
        .bind(":reasoning", reasoning)
        .bind(":prompt_tokens", stats.promptTokens)
        .bind(":completion_tokens", stats.completionTokens)
        .bind(":tokens_per_second", stats.tokensPerSecond)
        .bind(":reasoning_ms", stats.reasoningMs)
        .bind(":finish_reason", finishReasonName(reason))
        .bind(":now", now)
        .bind(":id", id);
    if (auto ran = update->run(); !ran) return ran;
    if (db_.changes() == 0) return fail(notAReplyInProgress(id));
    if (auto touched = touchConversation(current->conversation, now); !touched) return touched;
    return transaction->commit(); // synchronous=FULL: on disk before we return
}

Expected<int> ChatStore::closeInterruptedReplies() {
    if (auto closed = db_.exec(kCloseInterrupted); !closed) return fail(closed.error());
    return db_.changes();
}

Expected<Message> ChatStore::message(MessageId id) {
    auto select = db_.prepare(kSelectMessage);
    if (!select) return fail(select.error());
    select->bind(":id", id);
    auto found = readMessages(*select);
    if (!found) return fail(found.error());
    if (found->empty()) return fail("Message " + std::to_string(id) + " does not exist.");
    return std::move(found->front());
}

Expected<std::vector<Message>> ChatStore::messages(ConversationId conversation) {
    auto select = db_.prepare(kSelectConversationMessages);
    if (!select) return fail(select.error());
    select->bind(":conversation", conversation);
    return readMessages(*select);
}

Expected<std::vector<Message>> ChatStore::siblings(MessageId id) {
    auto select = db_.prepare(kSelectSiblings);
    if (!select) return fail(select.error());
    select->bind(":id", id);
    auto found = readMessages(*select);
    if (found && found->empty()) return fail("Message " + std::to_string(id) + " does not exist.");
    return found;
}

Expected<std::vector<Message>> ChatStore::activePath(ConversationId conversation) {
    if (auto exists = this->conversation(conversation); !exists) return fail(exists.error());
    auto select = db_.prepare(kSelectActivePath);
    if (!select) return fail(select.error());
    select->bind(":conversation", conversation);
    return readMessages(*select);
}

Expected<void> ChatStore::setActiveLeaf(ConversationId conversation, MessageId message) {
    if (auto inside = requireMessageIn(conversation, message); !inside) return inside;
    auto leaf = db_.prepare(kNewestLeafBelow);
    if (!leaf) return fail(leaf.error());
    leaf->bind(":message", message);
    auto row = leaf->step();
    if (!row) return fail(row.error());
    const MessageId newest = *row && !leaf->columnIsNull(0) ? leaf->columnInt(0) : message;
    leaf->reset();
    auto activate = db_.prepare(sql::kSetActiveLeaf);
    if (!activate) return fail(activate.error());
    activate->bind(":message", newest).bind(":conversation", conversation);
    return activate->run();
}

} // namespace lucent
