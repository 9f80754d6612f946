#pragma once
/// @file
/// @brief Export and import of conversations. JSON is lossless (every branch, reasoning,
/// statistics, timestamps) and is what import reads; Markdown is for reading: the branch on
/// screen, reasoning folded into `<details>`.

#include "inference/core/Expected.h"
#include "storage/ChatTypes.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lucent {

class ChatStore;

/// @brief `"format"` of a Lucent JSON export, and the newest `"version"` this build reads.
inline constexpr const char* kExportFormatName = "lucent-chats";
inline constexpr int kExportFormatVersion = 1;

/// @brief The conversation asked for, or every conversation not deleted when none is named.
Expected<std::vector<ConversationId>> exportedConversations(ChatStore& store,
                                                           std::optional<ConversationId> conversation);

/// @brief One conversation (or, with no id, every conversation not deleted) as JSON.
Expected<std::string> exportJson(ChatStore& store, std::optional<ConversationId> conversation);

/// @brief The same as Markdown: the active branch of each conversation, reasoning collapsible.
Expected<std::string> exportMarkdown(ChatStore& store, std::optional<ConversationId> conversation);

/// @brief Reads a JSON export without touching any database. `sourceName` (a file name) starts
/// every error: "chats.json: conversation 2, message 5: role "robot" is not one of …".
Expected<std::vector<ConversationTree>> parseJsonExport(std::string_view text,
                                                        std::string_view sourceName);

/// @brief parseJsonExport(), then adds every conversation in one transaction: all or nothing.
/// Returns the new conversation ids.
Expected<std::vector<ConversationId>> importJson(ChatStore& store, std::string_view text,
                                                 std::string_view sourceName);

} // namespace lucent
