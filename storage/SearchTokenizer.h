#pragma once
/// @file
/// @brief The FTS5 tokenizer behind full-text search, `lucent_words`: SQLite's unicode61 (case and,
/// with `remove_diacritics 2`, accents folded) for scripts that put spaces between words, and one
/// token per character for scripts that do not (Chinese, Japanese, Thai, Lao, Khmer, Myanmar, and
/// Hangul for its attached particles). A quoted query term then matches as a phrase of adjacent
/// characters, so "東京" finds "我住在東京都" — which a trigram index cannot do for words shorter
/// than three characters, the common case in Chinese and Japanese.

#include "inference/core/Expected.h"

namespace lucent {

class Database;

/// @brief Name to use in `tokenize = '…'` of an FTS5 table.
inline constexpr const char* kSearchTokenizerName = "lucent_words";

/// @brief Registers `lucent_words` on this connection. The search index's triggers need it on every
/// connection that writes messages, so ChatStore does this before anything else.
Expected<void> registerSearchTokenizer(Database& db);

/// @brief True for code points of scripts written without spaces between words, which the
/// tokenizer indexes one character at a time.
bool isIndexedPerCharacter(char32_t codePoint);

} // namespace lucent
