// ChatStore: full-text search over content and reasoning (FTS5, bm25, highlighted snippets).
#include "storage/ChatStore.h"

#include "storage/Statement.h"

namespace lucent {
namespace {

// bm25 has to score every match before it can sort them; for a word in a third of a million
// messages that takes seconds. So only the newest kRankedCandidates matches are ranked: exact
// for rare words, "best among the recent ones" for very common words, and always fast.
constexpr int kRankedCandidates = 1000;

// The rowid below which matches are too old to be ranked (no row: rank them all). FTS5 walks its
// index newest-first for ORDER BY rowid DESC, so this costs kRankedCandidates steps.
constexpr const char* kCandidateCutoff = R"sql(
SELECT rowid FROM message_search WHERE message_search MATCH :query
ORDER BY rowid DESC LIMIT 1 OFFSET :candidates
)sql";

// The best `:limit` hits among conversations not deleted; rank is bm25(1.0, 0.5) (Schema.cpp).
constexpr const char* kSearch = R"sql(
SELECT s.rowid, m.conversation_id, c.title, s.rank
FROM message_search AS s
JOIN messages AS m ON m.id = s.rowid
JOIN conversations AS c ON c.id = m.conversation_id
WHERE message_search MATCH :query AND s.rowid > :after AND c.deleted_at IS NULL
ORDER BY s.rank LIMIT :limit
)sql";

// Computed only for the hits shown: snippet() for every match would cost more than the search.
// char(2)/char(3) mark highlights; they become byte ranges and never reach the caller.
constexpr const char* kSnippet = R"sql(
SELECT snippet(message_search, -1, char(2), char(3), '…', 16) FROM message_search
WHERE message_search MATCH :query AND rowid = :id
)sql";

constexpr char kHighlightStart = '\x02';
constexpr char kHighlightEnd = '\x03';

bool isSpaceAt(std::string_view text, std::size_t i, std::size_t& length) {
    length = 1;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return true;
    // U+3000 IDEOGRAPHIC SPACE, what a Chinese or Japanese keyboard types between words.
    if (text.substr(i, 3) == "\xE3\x80\x80") {
        length = 3;
        return true;
    }
    return false;
}

/// Every whitespace-separated word becomes a quoted FTS5 string, so the user's text is never read
/// as query syntax (AND, NEAR, *, column filters) and "東京" is a phrase of adjacent characters.
std::string toMatchExpression(std::string_view query) {
    std::string expression;
    std::string term;
    auto closeTerm = [&] {
        if (term.empty()) return;
        if (!expression.empty()) expression += ' ';
        expression += '"';
        for (char c : term) {
            if (c == '"') expression += '"'; // FTS5 escapes a quote by doubling it
            expression += c;
        }
        expression += '"';
        term.clear();
    };
    for (std::size_t i = 0; i < query.size();) {
        std::size_t length = 1;
        if (isSpaceAt(query, i, length)) closeTerm();
        else term.append(query.substr(i, length));
        i += length;
    }
    closeTerm();
    return expression;
}

void splitHighlights(const std::string& marked, SearchHit& hit) {
    std::size_t start = 0;
    for (char c : marked) {
        if (c == kHighlightStart) {
            start = hit.snippet.size();
        } else if (c == kHighlightEnd) {
            if (hit.snippet.size() > start)
                hit.highlights.push_back({start, hit.snippet.size() - start});
        } else {
            hit.snippet += c;
        }
    }
}

} // namespace

Expected<std::vector<SearchHit>> ChatStore::search(std::string_view query, int limit) {
    const std::string expression = toMatchExpression(query);
    std::vector<SearchHit> hits;
    if (expression.empty() || limit <= 0) return hits;

    std::int64_t after = 0;
    {
        auto cutoff = db_.prepare(kCandidateCutoff);
        if (!cutoff) return fail(cutoff.error());
        cutoff->bind(":query", expression).bind(":candidates", kRankedCandidates);
        auto row = cutoff->step();
        if (!row) return fail(row.error());
        if (*row) after = cutoff->columnInt(0);
    }
    auto select = db_.prepare(kSearch);
    if (!select) return fail(select.error());
    select->bind(":query", expression).bind(":after", after).bind(":limit", limit);
    for (;;) {
        auto row = select->step();
        if (!row) return fail(row.error());
        if (!*row) break;
        SearchHit hit;
        hit.message = select->columnInt(0);
        hit.conversation = select->columnInt(1);
        hit.conversationTitle = select->columnText(2);
        hit.rank = select->columnDouble(3);
        hits.push_back(std::move(hit));
    }

    auto snippet = db_.prepare(kSnippet);
    if (!snippet) return fail(snippet.error());
    for (SearchHit& hit : hits) {
        snippet->reset();
        snippet->bind(":query", expression).bind(":id", hit.message);
        auto row = snippet->step();
        if (!row) return fail(row.error());
        if (*row) splitHighlights(snippet->columnText(0), hit);
    }
    return hits;
}

} // namespace lucent
