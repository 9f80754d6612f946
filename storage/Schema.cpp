#include "storage/Schema.h"

#include "storage/Database.h"

#include <array>

namespace lucent {
namespace {

// Timestamps are milliseconds since the Unix epoch (UTC). settings_json holds the generation
// settings as a JSON object; json_valid keeps junk out whoever writes the row.
constexpr const char* kCreateCoreTablesV1 = R"sql(
CREATE TABLE conversations (
    id             INTEGER PRIMARY KEY,
    title          TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    pinned         INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    model          TEXT    NOT NULL DEFAULT '',
    system_prompt  TEXT    NOT NULL DEFAULT '',
    settings_json  TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(settings_json)),
    active_leaf_id INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    deleted_at     INTEGER
);
CREATE INDEX conversations_recent ON conversations (pinned DESC, updated_at DESC, id DESC)
    WHERE deleted_at IS NULL;
CREATE TABLE messages (
    id                INTEGER PRIMARY KEY,
    conversation_id   INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    parent_id         INTEGER REFERENCES messages (id) ON DELETE CASCADE,
    role              TEXT    NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
    content           TEXT    NOT NULL DEFAULT '',
    reasoning         TEXT    NOT NULL DEFAULT '',
    reasoning_ms      INTEGER NOT NULL DEFAULT 0,
    model             TEXT    NOT NULL DEFAULT '',
    settings_json     TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(settings_json)),
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    tokens_per_second REAL    NOT NULL DEFAULT 0,
    finish_reason     TEXT    CHECK (finish_reason IN ('stop', 'length', 'cancelled', 'error')),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    finished_at       INTEGER
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, parent_id);
CREATE INDEX messages_by_parent ON messages (parent_id);
)sql";

// One index over content and reasoning of every message, an external-content FTS5 table kept in
// step by triggers. Its tokenizer (SearchTokenizer.h) folds case and diacritics ("cafe" finds
// "café") and indexes Chinese, Japanese, Korean and Thai one character at a time. bm25 weighs a
// match in the answer above one in the reasoning.
constexpr const char* kCreateSearchV2 = R"sql(
CREATE VIRTUAL TABLE message_search USING fts5 (
    content, reasoning, content = 'messages', content_rowid = 'id',
    tokenize = 'lucent_words remove_diacritics 2');
INSERT INTO message_search (message_search, rank) VALUES ('rank', 'bm25(1.0, 0.5)');

CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search (rowid, content, reasoning)
        VALUES (new.id, new.content, new.reasoning);
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, content, reasoning)
        VALUES ('delete', old.id, old.content, old.reasoning);
END;
-- One trigger, so the old text always leaves the index before the new text enters it.
CREATE TRIGGER messages_search_update AFTER UPDATE OF content, reasoning ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, content, reasoning)
        VALUES ('delete', old.id, old.content, old.reasoning);
    INSERT INTO message_search (rowid, content, reasoning)
        VALUES (new.id, new.content, new.reasoning);
END;
)sql";

// Messages written under schema 1 enter the new index.
constexpr const char* kBackfillSearchV2 = "INSERT INTO message_search (message_search) VALUES ('rebuild')";

Expected<void> createCoreTables(Database& db) { return db.exec(kCreateCoreTablesV1); }

Expected<void> addFullTextSearch(Database& db) {
    if (auto created = db.exec(kCreateSearchV2); !created) return created;
    return db.exec(kBackfillSearchV2);
}

constexpr std::array kSteps = {
    MigrationStep{1, "create the conversation and message tables", createCoreTables},
    MigrationStep{2, "add full-text search", addFullTextSearch},
};

} // namespace

std::span<const MigrationStep> migrationSteps() { return kSteps; }

} // namespace lucent
