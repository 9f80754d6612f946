#pragma once
/// @file
/// @brief `lucent_rank`, the FTS5 ranking function of full-text search: Okapi BM25 like FTS5's own
/// bm25(), except for how it learns how common each word is. bm25() counts every match of every
/// query phrase before it scores the first row, which for a word in most messages of a large
/// history costs more than the whole rest of the search (90 ms for 900,000 matches). lucent_rank
/// counts up to kExactDocumentFrequency matches: below that the count is exact and its scores equal
/// bm25()'s; above, the word's frequency is estimated from how far into the history its first
/// kExactDocumentFrequency matches reach, which is all a common word's weight needs.
///
/// SQL: `lucent_rank(message_search, first_rowid, last_rowid, weight_0, weight_1, …)` — the rowid
/// range of the indexed table (for the estimate), then one weight per column (missing: 1.0).
/// Lower is better, as with bm25().

#include "inference/core/Expected.h"

namespace lucent {

class Database;

/// @brief Name of the ranking function in SQL.
inline constexpr const char* kSearchRankName = "lucent_rank";

/// @brief How many matches of a phrase are counted exactly before its frequency is estimated.
inline constexpr int kExactDocumentFrequency = 1000;

/// @brief Registers `lucent_rank` on this connection (ChatStore does so when it opens a database).
Expected<void> registerSearchRanking(Database& db);

} // namespace lucent
