// Lossless JSON export: every conversation with its whole message tree.
#include "storage/ChatExport.h"

#include "storage/ChatStore.h"

#include <nlohmann/json.hpp>
#include <unordered_map>

namespace lucent {
namespace {

using json = nlohmann::ordered_json; // keeps "format" first and settings in their order

json settingsObject(const std::string& text) {
    // The schema's CHECK (json_valid) makes this parse; keep odd values rather than drop them.
    json parsed = json::parse(text, nullptr, false);
    return parsed.is_discarded() ? json::object() : parsed;
}

json optionalInt(const std::optional<std::int64_t>& value) {
    return value ? json(*value) : json(nullptr);
}

/// Message ids in the file are 1, 2, 3… in creation order: stable across databases, so
/// export → import → export gives the same file.
json conversationJson(const ConversationTree& tree) {
    std::unordered_map<MessageId, std::int64_t> fileIds;
    json messages = json::array();
    for (const Message& message : tree.messages) {
        const std::int64_t fileId = static_cast<std::int64_t>(fileIds.size()) + 1;
        fileIds.emplace(message.id, fileId);
        json parent = nullptr;
        if (message.parent) parent = fileIds.at(*message.parent); // parents come first (id order)
        messages.push_back({
            {"id", fileId},
            {"parent", parent},
            {"role", std::string(roleName(message.role))},
            {"content", message.content},
            {"reasoning", message.reasoning},
            {"reasoning_ms", message.stats.reasoningMs},
            {"model", message.model},
            {"settings", settingsObject(message.settingsJson)},
            {"prompt_tokens", message.stats.promptTokens},
            {"completion_tokens", message.stats.completionTokens},
            {"tokens_per_second", message.stats.tokensPerSecond},
            {"finish_reason", message.finishReason
                                  ? json(std::string(finishReasonName(*message.finishReason)))
                                  : json(nullptr)},
            {"created_at", message.createdAt},
            {"updated_at", message.updatedAt},
            {"finished_at", optionalInt(message.finishedAt)},
        });
    }
    const Conversation& header = tree.conversation;
    json active = nullptr;
    if (header.activeLeaf) active = fileIds.at(*header.activeLeaf);
    return {
        {"title", header.title},
        {"created_at", header.createdAt},
        {"updated_at", header.updatedAt},
        {"pinned", header.pinned},
        {"model", header.model},
        {"system_prompt", header.systemPrompt},
        {"settings", settingsObject(header.settingsJson)},
        {"active_message", active},
        {"messages", std::move(messages)},
    };
}

} // namespace

Expected<std::vector<ConversationId>> exportedConversations(ChatStore& store,
                                                           std::optional<ConversationId> conversation) {
    if (conversation) return std::vector<ConversationId>{*conversation};
    return store.conversationIds();
}

Expected<std::string> exportJson(ChatStore& store, std::optional<ConversationId> conversation) {
    auto ids = exportedConversations(store, conversation);
    if (!ids) return fail(ids.error());
    json conversations = json::array();
    for (ConversationId id : *ids) {
        auto tree = store.tree(id);
        if (!tree) return fail(tree.error());
        conversations.push_back(conversationJson(*tree));
    }
    json document = {
        {"format", kExportFormatName},
        {"version", kExportFormatVersion},
        {"exported_at", nowMilliseconds()},
        {"conversations", std::move(conversations)},
    };
    // Text a model produced may hold broken UTF-8; replace it rather than refuse the export.
    return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

} // namespace lucent
