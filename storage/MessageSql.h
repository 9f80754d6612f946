#pragma once
// Internal to storage/: SQL shared by the single-message and whole-conversation writers.

namespace lucent::sql {

constexpr const char* kInsertMessage = R"sql(
INSERT INTO messages (conversation_id, parent_id, role, content, reasoning, model, settings_json,
    prompt_tokens, completion_tokens, tokens_per_second, reasoning_ms, finish_reason,
    created_at, updated_at, finished_at)
VALUES (:conversation, :parent, :role, :content, :reasoning, :model, :settings_json,
    :prompt_tokens, :completion_tokens, :tokens_per_second, :reasoning_ms, :finish_reason,
    :created_at, :updated_at, :finished_at)
)sql";

constexpr const char* kSetActiveLeaf =
    "UPDATE conversations SET active_leaf_id = :message WHERE id = :conversation";

} // namespace lucent::sql
