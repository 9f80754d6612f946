// ChatStore: full-text search over content and reasoning (FTS5, BM25 via lucent_rank, highlighted snippets).
#include "storage/ChatStore.h"

#include "storage/Statement.h"

#include <limits>
#include <map>
#include <string>

namespace lucent {
namespace {

// Ranking has to score every match before it can sort them; for a word in 910,000 of a million
// messages that takes 2 s (measured with lucent_rank, lucent_bench_storage's data). So only the newest kRankedCandidates matches are ranked: exact
// for rare words, "best among the recent ones" for very common words, and always fast.
constexpr int kRankedCandidates = 1000;

// The rowid range of the whole history, which lucent_rank needs to estimate how common a word
// is (SearchRanking.h). NULL when there are no messages.
constexpr const char* kHistoryRange = R"sql(
SELECT (SELECT min(id) FROM messages), (SELECT max(id) FROM messages)
)sql";

// How many of the newest :candidates matches older than :before there are, and the oldest of them.
// FTS5 walks its index newest-first for ORDER BY rowid DESC, so this costs :candidates steps.
constexpr const char* kCandidateWindow = R"sql(
SELECT count(*), min(rowid) FROM (
    SELECT rowid FROM message_search WHERE message_search MATCH :query AND rowid < :before
    ORDER BY rowid DESC LIMIT :candidates)
)sql";

// The candidates, best first. lucent_rank, not the table's bm25 rank: bm25 counts every match of
// every word in the whole history before the first score (90 ms for a word in 900,000 messages);
// the column weights are the same as the index's configured rank (Schema.cpp). No JOIN here:
// looking up the conversation of every candidate costs more than ranking them, so the caller
// looks up only the ones it shows.
constexpr const char* kRankCandidates = R"sql(
SELECT rowid, lucent_rank(message_search, :first, :last, 1.0, 0.5) AS score FROM message_search
WHERE message_search MATCH :query AND rowid >= :oldest AND rowid < :before ORDER BY score
)sql";

// The conversation a hit is shown under; no row when that conversation is deleted.
constexpr const char* kShownConversation = R"sql(
SELECT c.id, c.title FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id
WHERE m.id = :message AND c.deleted_at IS NULL
)sql";

// Computed only for the hits shown: snippet() for every candidate would cost more than the
// search. One pass over the candidates' rowid range; asking FTS5 for each hit by rowid instead
// costs up to 0.5 ms per hit (it looks the words up again every time). The unary + keeps
// `rowid IN` out of FTS5's hands for the same reason. char(2)/char(3) mark highlights; they
// become byte ranges and never reach the caller.
constexpr const char* kSnippets = R"sql(
SELECT rowid, snippet(message_search, -1, char(2), char(3), '…', 16) FROM message_search
WHERE message_search MATCH :query AND rowid BETWEEN :lowest AND :highest
  AND +rowid IN (SELECT value FROM json_each(:hits))
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

/// Appends the ranked candidates, best first, until `limit` hits, skipping deleted conversations.
Expected<void> appendShownHits(Statement& ranked, Statement& shown, int limit, std::vector<SearchHit>& hits) {
    while (static_cast<int>(hits.size()) < limit) {
        auto row = ranked.step();
        if (!row) return fail(row.error());
        if (!*row) break;
        SearchHit hit;
        hit.message = ranked.columnInt(0);
        hit.rank = ranked.columnDouble(1);
        shown.reset();
        shown.bind(":message", hit.message);
        auto conversation = shown.step();
        if (!conversation) return fail(conversation.error());
        if (!*conversation) continue; // in a deleted conversation
        hit.conversation = shown.columnInt(0);
        hit.conversationTitle = shown.columnText(1);
        hits.push_back(std::move(hit));
    }
    return {};
}

/// Fills in snippet and highlights of every hit (hits may come in any rowid order).
Expected<void> addSnippets(Database& db, const std::string& expression, std::vector<SearchHit>& hits) {
    if (hits.empty()) return {};
    std::map<MessageId, SearchHit*> byMessage;
    std::string ids = "[";
    for (SearchHit& hit : hits) {
        byMessage[hit.message] = &hit;
        if (ids.size() > 1) ids += ',';
        ids += std::to_string(hit.message);
    }
    ids += ']';
    auto snippets = db.prepare(kSnippets);
    if (!snippets) return fail(snippets.error());
    snippets->bind(":query", expression).bind(":hits", ids)
        .bind(":lowest", byMessage.begin()->first).bind(":highest", byMessage.rbegin()->first);
    for (;;) {
        auto row = snippets->step();
        if (!row) return fail(row.error());
        if (!*row) return {};
        if (auto found = byMessage.find(snippets->columnInt(0)); found != byMessage.end())
            splitHighlights(snippets->columnText(1), *found->second);
    }
}

} // namespace

Expected<std::vector<SearchHit>> ChatStore::search(std::string_view query, int limit) {
    const std::string expression = toMatchExpression(query);
    std::vector<SearchHit> hits;
    if (expression.empty() || limit <= 0) return hits;

    auto range = db_.prepare(kHistoryRange);
    if (!range) return fail(range.error());
    auto rangeRow = range->step();
    if (!rangeRow) return fail(rangeRow.error());
    if (!*rangeRow || range->columnIsNull(0)) return hits; // no messages at all
    const std::int64_t first = range->columnInt(0);
    const std::int64_t last = range->columnInt(1);

    auto window = db_.prepare(kCandidateWindow);
    if (!window) return fail(window.error());
    auto ranked = db_.prepare(kRankCandidates);
    if (!ranked) return fail(ranked.error());
    auto shown = db_.prepare(kShownConversation);
    if (!shown) return fail(shown.error());
    // Usually one window. One full of a deleted conversation's messages (a long chat deleted but
    // not purged yet) would hide every live match, so then the next older window is ranked too.
    std::int64_t before = std::numeric_limits<std::int64_t>::max();
    while (static_cast<int>(hits.size()) < limit) {
        window->reset();
        window->bind(":query", expression).bind(":before", before).bind(":candidates", kRankedCandidates);
        auto windowRow = window->step();
        if (!windowRow) return fail(windowRow.error());
        const std::int64_t candidates = *windowRow ? window->columnInt(0) : 0;
        if (candidates == 0) break;
        const std::int64_t oldest = window->columnInt(1);

        ranked->reset();
        ranked->bind(":query", expression).bind(":oldest", oldest).bind(":before", before)
            .bind(":first", first).bind(":last", last);
        if (auto added = appendShownHits(*ranked, *shown, limit, hits); !added) return fail(added.error());
        if (candidates < kRankedCandidates) break; // that was the oldest match
        before = oldest;
    }
    if (auto added = addSnippets(db_, expression, hits); !added) return fail(added.error());
    return hits;
}

} // namespace lucent
