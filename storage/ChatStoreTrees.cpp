// ChatStore: whole conversations in and out, for export and import.
#include "storage/ChatStore.h"
#include "storage/MessageSql.h"

#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <unordered_map>

namespace lucent {
namespace {

constexpr const char* kConversationIds =
    "SELECT id FROM conversations WHERE deleted_at IS NULL ORDER BY id";

constexpr const char* kInsertWholeConversation = R"sql(
INSERT INTO conversations (title, created_at, updated_at, pinned, model, system_prompt, settings_json)
VALUES (:title, :created_at, :updated_at, :pinned, :model, :system_prompt, :settings_json)
)sql";



} // namespace

Expected<std::vector<ConversationId>> ChatStore::conversationIds() {
    auto select = db_.prepare(kConversationIds);
    if (!select) return fail(select.error());
    std::vector<ConversationId> ids;
    for (;;) {
        auto row = select->step();
        if (!row) return fail(row.error());
        if (!*row) return ids;
        ids.push_back(select->columnInt(0));
    }
}

Expected<ConversationTree> ChatStore::tree(ConversationId id) {
    auto header = conversation(id);
    if (!header) return fail(header.error());
    auto all = messages(id);
    if (!all) return fail(all.error());
    // Ids grow with time and a parent always exists before its child, so id order is parent-first.
    return ConversationTree{std::move(*header), std::move(*all)};
}

Expected<std::vector<ConversationId>> ChatStore::insertTrees(const std::vector<ConversationTree>& trees) {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return fail(transaction.error());
    auto insertConversation = db_.prepare(kInsertWholeConversation);
    auto insertMessage = db_.prepare(sql::kInsertMessage);
    auto activate = db_.prepare(sql::kSetActiveLeaf);
    if (!insertConversation) return fail(insertConversation.error());
    if (!insertMessage) return fail(insertMessage.error());
    if (!activate) return fail(activate.error());

    std::vector<ConversationId> created;
    for (const ConversationTree& tree : trees) {
        const Conversation& header = tree.conversation;
        insertConversation->reset();
        insertConversation->bind(":title", header.title)
            .bind(":created_at", header.createdAt)
            .bind(":updated_at", header.updatedAt)
            .bind(":pinned", header.pinned)
            .bind(":model", header.model)
            .bind(":system_prompt", header.systemPrompt)
            .bind(":settings_json", header.settingsJson);
        if (auto ran = insertConversation->run(); !ran) return fail(ran.error());
        const ConversationId conversationId = db_.lastInsertId();
        created.push_back(conversationId);

        std::unordered_map<MessageId, MessageId> newIds; // id in `trees` -> id in this database
        for (const Message& message : tree.messages) {
            std::optional<MessageId> parent;
            if (message.parent) {
                const auto found = newIds.find(*message.parent);
                if (found == newIds.end())
                    return fail("Message " + std::to_string(message.id) + " of \"" + header.title +
                                "\" comes before its parent " + std::to_string(*message.parent) + ".");
                parent = found->second;
            }
            insertMessage->reset();
            insertMessage->bind(":conversation", conversationId)
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
                .bind(":created_at", message.createdAt)
                .bind(":updated_at", message.updatedAt)
                .bind(":finished_at", message.finishedAt);
            if (message.finishReason) insertMessage->bind(":finish_reason", finishReasonName(*message.finishReason));
            else insertMessage->bindNull(":finish_reason");
            if (auto ran = insertMessage->run(); !ran) return fail(ran.error());
            if (!newIds.emplace(message.id, db_.lastInsertId()).second)
                return fail("Message id " + std::to_string(message.id) + " appears twice in \"" +
                            header.title + "\".");
        }
        if (header.activeLeaf) {
            const auto leaf = newIds.find(*header.activeLeaf);
            if (leaf == newIds.end())
                return fail("The active message of \"" + header.title + "\" is not one of its messages.");
            activate->reset();
            activate->bind(":message", leaf->second).bind(":conversation", conversationId);
            if (auto ran = activate->run(); !ran) return fail(ran.error());
        }
    }
    if (auto committed = transaction->commit(); !committed) return fail(committed.error());
    return created;
}

} // namespace lucent
