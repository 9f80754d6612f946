#pragma once
/// @file
/// @brief ChatStore: every conversation in one local SQLite file that survives crashes and
/// upgrades. Messages form a tree: editing a user turn or regenerating a reply adds a sibling
/// branch and erases nothing; each conversation remembers the branch on screen (its active leaf).

#include "inference/core/Expected.h"
#include "storage/ChatTypes.h"
#include "storage/Database.h"

#include <string>
#include <string_view>
#include <vector>

namespace lucent {

/// @brief How ChatStore::open treats the file.
struct StoreOptions {
    bool createIfMissing = true; ///< false: a missing file is an error (export of an existing store)
    int busyTimeoutMs = 5000;    ///< how long to wait for another program's lock before failing
};

/// @brief The chat history. Move-only; use it from one thread. Every method returns a
/// user-facing Error instead of throwing; a failed write changes nothing.
class ChatStore {
public:
    /// @brief Opens (or creates) the database at `path`: refuses foreign, newer or damaged files
    /// without touching them, backs the file up and upgrades an older schema, then turns on WAL,
    /// foreign keys and the busy timeout.
    static Expected<ChatStore> open(const std::string& path, const StoreOptions& options = {});

    // Conversations ---------------------------------------------------------------------------
    Expected<ConversationId> createConversation(const NewConversation& fields);
    /// @brief One conversation, including a deleted one still waiting for purge.
    Expected<Conversation> conversation(ConversationId id);
    /// @brief Conversations not deleted: pinned first, then the most recently updated.
    Expected<std::vector<Conversation>> listRecent(int limit, int offset = 0);
    Expected<void> rename(ConversationId id, std::string_view title);
    Expected<void> setPinned(ConversationId id, bool pinned);
    /// @brief Model, system prompt and generation settings (a JSON object) for the next replies.
    Expected<void> setGenerationDefaults(ConversationId id, std::string_view model,
                                         std::string_view systemPrompt, std::string_view settingsJson);
    /// @brief Hides a conversation (undoable with restoreConversation until purged).
    Expected<void> deleteConversation(ConversationId id);
    Expected<void> restoreConversation(ConversationId id);
    /// @brief Erases deleted conversations for good; returns how many.
    Expected<int> purgeDeletedConversations();

    // Messages --------------------------------------------------------------------------------
    /// @brief Adds a finished message under `parent` (none: a first message) and makes it the
    /// active leaf. A second child of the same parent is a new branch (an edited user turn).
    Expected<MessageId> appendMessage(ConversationId conversation, std::optional<MessageId> parent,
                                      const NewMessage& message);
    /// @brief Starts an assistant reply under `parent` (regenerating = another reply under the same
    /// parent) and makes it the active leaf. Its finish reason stays empty until finishReply().
    Expected<MessageId> beginStreamingReply(ConversationId conversation, MessageId parent,
                                            std::string_view model, std::string_view settingsJson);
    /// @brief Saves the text of a reply in progress (a cheap commit; survives the app crashing).
    Expected<void> updateStreamingReply(MessageId id, std::string_view content,
                                        std::string_view reasoning);
    /// @brief Saves the final text and statistics of a reply with a full sync to disk.
    Expected<void> finishReply(MessageId id, std::string_view content, std::string_view reasoning,
                               const ReplyStats& stats, FinishReason reason);
    /// @brief Replies left unfinished by a crash get FinishReason::Cancelled; returns how many.
    /// Call once at start-up, before any new reply streams.
    Expected<int> closeInterruptedReplies();

    Expected<Message> message(MessageId id);
    /// @brief Every message of a conversation, every branch, oldest first.
    Expected<std::vector<Message>> messages(ConversationId conversation);
    /// @brief The messages sharing `id`'s parent, `id` included, oldest first (the "< 2/3 >" of a UI).
    Expected<std::vector<Message>> siblings(MessageId id);
    /// @brief The branch on screen, from the first message to the active leaf.
    Expected<std::vector<Message>> activePath(ConversationId conversation);
    /// @brief Shows the branch through `message`: the active leaf becomes the newest message at the
    /// end of that branch (so picking a sibling shows its latest continuation).
    Expected<void> setActiveLeaf(ConversationId conversation, MessageId message);

    // Search ----------------------------------------------------------------------------------
    /// @brief Full-text search over content and reasoning of conversations not deleted, best
    /// first (bm25). Every word must match; diacritics are ignored; Chinese, Japanese, Korean and
    /// Thai are matched as substrings. When a query matches more than 1,000 messages, the newest
    /// 1,000 of them are ranked (so a very common word stays fast).
    Expected<std::vector<SearchHit>> search(std::string_view query, int limit = 50);

    // Export / import -------------------------------------------------------------------------
    /// @brief Ids of the conversations not deleted, oldest first.
    Expected<std::vector<ConversationId>> conversationIds();
    /// @brief A conversation with all its branches (message ids are this database's).
    Expected<ConversationTree> tree(ConversationId id);
    /// @brief Adds whole conversations in one transaction: all of them or, on any error, none.
    /// Message ids in `trees` are only references between its messages; new ids are assigned.
    Expected<std::vector<ConversationId>> insertTrees(const std::vector<ConversationTree>& trees);

    /// @brief The underlying connection (tests, benchmarks, StreamingWriter).
    Database& database() { return db_; }
    const std::string& path() const { return db_.path(); }

private:
    explicit ChatStore(Database db) : db_(std::move(db)) {}
    Expected<void> touchConversation(ConversationId id, std::int64_t now);
    Expected<void> requireMessageIn(ConversationId conversation, MessageId message);
    Expected<MessageId> insertMessage(ConversationId conversation, std::optional<MessageId> parent,
                                      const NewMessage& message, bool finished);

    Database db_;
};

} // namespace lucent
