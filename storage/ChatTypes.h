#pragma once
/// @file
/// @brief The values ChatStore reads and writes: conversations, messages of the branch tree,
/// reply statistics, search hits. Plain structs, no behaviour.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lucent {

using ConversationId = std::int64_t;
using MessageId = std::int64_t;

/// @brief Who wrote a message.
enum class Role { System, User, Assistant, Tool };

/// @brief Why a reply ended. A reply without one is still streaming, or was cut off by a crash.
enum class FinishReason { Stop, Length, Cancelled, Error };

/// @brief "user", "assistant", … as stored and exported.
std::string_view roleName(Role role);
std::optional<Role> roleFromName(std::string_view name);
/// @brief "stop", "length", "cancelled", "error" as stored and exported.
std::string_view finishReasonName(FinishReason reason);
std::optional<FinishReason> finishReasonFromName(std::string_view name);

/// @brief Milliseconds since the Unix epoch, the unit of every timestamp in storage.
std::int64_t nowMilliseconds();

/// @brief A conversation's header, as listed in the sidebar.
struct Conversation {
    ConversationId id = 0;
    std::string title;
    std::int64_t createdAt = 0;
    std::int64_t updatedAt = 0;
    bool pinned = false;
    std::string model;
    std::string systemPrompt;
    std::string settingsJson = "{}"; ///< generation settings, a JSON object
    std::optional<MessageId> activeLeaf; ///< last message of the branch on screen
};

/// @brief What a new conversation starts with.
struct NewConversation {
    std::string title;
    std::string model;
    std::string systemPrompt;
    std::string settingsJson = "{}";
};

/// @brief Measurements of one generated reply.
struct ReplyStats {
    std::int64_t promptTokens = 0;
    std::int64_t completionTokens = 0;
    double tokensPerSecond = 0;
    std::int64_t reasoningMs = 0; ///< how long the model thought
};

/// @brief One node of a conversation's message tree.
struct Message {
    MessageId id = 0;
    ConversationId conversation = 0;
    std::optional<MessageId> parent; ///< none for the first message
    Role role = Role::User;
    std::string content;
    std::string reasoning;
    std::string model;
    std::string settingsJson = "{}"; ///< settings the reply was generated with
    ReplyStats stats;
    std::optional<FinishReason> finishReason;
    std::int64_t createdAt = 0;
    std::int64_t updatedAt = 0;
    std::optional<std::int64_t> finishedAt;
};

/// @brief A message to append (a user turn, a system prompt, or a finished reply).
struct NewMessage {
    Role role = Role::User;
    std::string content;
    std::string reasoning;
    std::string model;
    std::string settingsJson = "{}";
    ReplyStats stats;
    std::optional<FinishReason> finishReason; ///< assistant replies: how they ended
};

/// @brief A highlighted span inside SearchHit::snippet, in bytes.
struct Highlight {
    std::size_t offset = 0;
    std::size_t length = 0;
};

/// @brief One search result, best first.
struct SearchHit {
    ConversationId conversation = 0;
    MessageId message = 0;
    std::string conversationTitle;
    std::string snippet; ///< a few words around the match, "…" where text was cut
    std::vector<Highlight> highlights;
    double rank = 0; ///< bm25: lower is better
};

/// @brief A whole conversation with every branch, as export and import move it. Message ids and
/// parents here are only references inside this value.
struct ConversationTree {
    Conversation conversation;
    std::vector<Message> messages; ///< parents come before their children
};

} // namespace lucent
