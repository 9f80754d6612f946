// ChatStore: opening the store and the conversation list (create, list, rename, pin, delete).
#include "storage/ChatStore.h"

#include "storage/Migrations.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <sys/stat.h>

namespace lucent {
namespace {

constexpr const char* kConnectionPragmas = R"sql(
PRAGMA foreign_keys = ON;
PRAGMA synchronous = FULL;
)sql";

constexpr const char* kConversationColumns =
    "id, title, created_at, updated_at, pinned, model, system_prompt, settings_json, "
    "active_leaf_id";

constexpr const char* kInsertConversation = R"sql(
INSERT INTO conversations (title, created_at, updated_at, model, system_prompt, settings_json)
VALUES (:title, :now, :now, :model, :system_prompt, :settings_json)
)sql";

constexpr const char* kListRecent = R"sql(
SELECT id, title, created_at, updated_at, pinned, model, system_prompt, settings_json, active_leaf_id
FROM conversations WHERE deleted_at IS NULL
ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT :limit OFFSET :offset
)sql";

constexpr const char* kRename =
    "UPDATE conversations SET title = :title, updated_at = :now WHERE id = :id";
// Pinning is not an edit: the conversation keeps its place in "recent".
constexpr const char* kSetPinned = "UPDATE conversations SET pinned = :pinned WHERE id = :id";
constexpr const char* kSetDefaults = R"sql(
UPDATE conversations SET model = :model, system_prompt = :system_prompt,
    settings_json = :settings_json, updated_at = :now WHERE id = :id
)sql";
constexpr const char* kSoftDelete =
    "UPDATE conversations SET deleted_at = :now WHERE id = :id AND deleted_at IS NULL";
constexpr const char* kRestore = "UPDATE conversations SET deleted_at = NULL WHERE id = :id";
constexpr const char* kPurgeDeleted = "DELETE FROM conversations WHERE deleted_at IS NOT NULL";
constexpr const char* kTouch = "UPDATE conversations SET updated_at = :now WHERE id = :id";

Conversation readConversation(const Statement& row) {
    Conversation conversation;
    conversation.id = row.columnInt(0);
    conversation.title = row.columnText(1);
    conversation.createdAt = row.columnInt(2);
    conversation.updatedAt = row.columnInt(3);
    conversation.pinned = row.columnInt(4) != 0;
    conversation.model = row.columnText(5);
    conversation.systemPrompt = row.columnText(6);
    conversation.settingsJson = row.columnText(7);
    conversation.activeLeaf = row.columnOptionalInt(8);
    return conversation;
}

Error noSuchConversation(ConversationId id) {
    return Error{"Conversation " + std::to_string(id) + " does not exist."};
}

bool fileExists(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0;
}

} // namespace

Expected<ChatStore> ChatStore::open(const std::string& path, const StoreOptions& options) {
    if (!options.createIfMissing && !fileExists(path))
        return fail("There is no chat database at " + path + ".");
    auto db = Database::open(path, options.createIfMissing ? OpenMode::ReadWriteCreate
                                                           : OpenMode::ReadWrite);
    if (!db) return fail(db.error());
    db->setBusyTimeout(options.busyTimeoutMs);
    // Checks come before anything that writes, so a foreign, newer or damaged file stays as it was.
    if (auto schema = prepareSchema(*db); !schema) return fail(schema.error());
    // WAL: readers never block the writer, and a crash can only lose uncommitted frames.
    {
        auto journal = db->prepare("PRAGMA journal_mode = WAL");
        if (!journal) return fail(journal.error());
        if (auto row = journal->step(); !row) return fail(row.error());
        if (journal->columnText(0) != "wal")
            return fail("The chat database " + path + " could not switch to write-ahead logging.");
    } // finalized here: an open statement would keep a read transaction, and foreign_keys is
      // ignored inside a transaction
    if (auto pragmas = db->exec(kConnectionPragmas); !pragmas) return fail(pragmas.error());
    return ChatStore(std::move(*db));
}

Expected<ConversationId> ChatStore::createConversation(const NewConversation& fields) {
    auto insert = db_.prepare(kInsertConversation);
    if (!insert) return fail(insert.error());
    insert->bind(":title", fields.title)
        .bind(":now", nowMilliseconds())
        .bind(":model", fields.model)
        .bind(":system_prompt", fields.systemPrompt)
        .bind(":settings_json", fields.settingsJson);
    if (auto ran = insert->run(); !ran) return fail(ran.error());
    return db_.lastInsertId();
}

Expected<Conversation> ChatStore::conversation(ConversationId id) {
    auto select = db_.prepare(std::string("SELECT ") + kConversationColumns +
                              " FROM conversations WHERE id = :id");
    if (!select) return fail(select.error());
    select->bind(":id", id);
    auto row = select->step();
    if (!row) return fail(row.error());
    if (!*row) return fail(noSuchConversation(id));
    return readConversation(*select);
}

Expected<std::vector<Conversation>> ChatStore::listRecent(int limit, int offset) {
    auto select = db_.prepare(kListRecent);
    if (!select) return fail(select.error());
    select->bind(":limit", limit).bind(":offset", offset);
    std::vector<Conversation> result;
    for (;;) {
        auto row = select->step();
        if (!row) return fail(row.error());
        if (!*row) return result;
        result.push_back(readConversation(*select));
    }
}

namespace {

// Runs an UPDATE on one conversation; zero changed rows means the id was wrong.
Expected<void> updateOne(Statement& update, ConversationId id, Database& db) {
    if (auto ran = update.run(); !ran) return ran;
    if (db.changes() == 0) return fail(noSuchConversation(id));
    return {};
}

} // namespace

Expected<void> ChatStore::rename(ConversationId id, std::string_view title) {
    auto update = db_.prepare(kRename);
    if (!update) return fail(update.error());
    update->bind(":title", title).bind(":now", nowMilliseconds()).bind(":id", id);
    return updateOne(*update, id, db_);
}

Expected<void> ChatStore::setPinned(ConversationId id, bool pinned) {
    auto update = db_.prepare(kSetPinned);
    if (!update) return fail(update.error());
    update->bind(":pinned", pinned).bind(":id", id);
    return updateOne(*update, id, db_);
}

Expected<void> ChatStore::setGenerationDefaults(ConversationId id, std::string_view model,
                                                std::string_view systemPrompt,
                                                std::string_view settingsJson) {
    auto update = db_.prepare(kSetDefaults);
    if (!update) return fail(update.error());
    update->bind(":model", model)
        .bind(":system_prompt", systemPrompt)
        .bind(":settings_json", settingsJson)
        .bind(":now", nowMilliseconds())
        .bind(":id", id);
    return updateOne(*update, id, db_);
}

Expected<void> ChatStore::deleteConversation(ConversationId id) {
    auto update = db_.prepare(kSoftDelete);
    if (!update) return fail(update.error());
    update->bind(":now", nowMilliseconds()).bind(":id", id);
    return updateOne(*update, id, db_);
}

Expected<void> ChatStore::restoreConversation(ConversationId id) {
    auto update = db_.prepare(kRestore);
    if (!update) return fail(update.error());
    update->bind(":id", id);
    return updateOne(*update, id, db_);
}

Expected<int> ChatStore::purgeDeletedConversations() {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return fail(transaction.error());
    if (auto purged = db_.exec(kPurgeDeleted); !purged) return fail(purged.error());
    const int count = db_.changes();
    if (auto committed = transaction->commit(); !committed) return fail(committed.error());
    return count;
}

Expected<void> ChatStore::touchConversation(ConversationId id, std::int64_t now) {
    auto update = db_.prepare(kTouch);
    if (!update) return fail(update.error());
    update->bind(":now", now).bind(":id", id);
    return updateOne(*update, id, db_);
}

} // namespace lucent
