// lucent_rank: BM25 over an FTS5 match whose word frequencies cost at most
// kExactDocumentFrequency steps per query phrase (see SearchRanking.h for why).
#include "storage/SearchRanking.h"

#include "storage/Database.h"

#include <algorithm>
#include <cmath>
#include <sqlite3.h>
#include <vector>

namespace lucent {
namespace {

// The usual BM25 constants, the same FTS5's bm25() uses: how fast repeats of a word stop adding
// to the score, and how much a long message is penalised for having more room for a word.
constexpr double kSaturation = 1.2;
constexpr double kLengthNormalisation = 0.75;

/// What every row of one query shares, computed at its first row.
struct QueryStatistics {
    std::vector<double> columnWeights;
    std::vector<double> inverseFrequency; ///< per query phrase: how rare, hence how telling
    std::vector<double> phraseWeight;     ///< per query phrase, for the current row (scratch)
    double averageLength = 1;             ///< tokens per row, all columns together
};

/// The oldest matches of one phrase, counted until kExactDocumentFrequency.
struct PhraseSample {
    int matches = 0;
    sqlite3_int64 newestRowid = 0;
};

int countMatch(const Fts5ExtensionApi* api, Fts5Context* fts, void* data) {
    auto* sample = static_cast<PhraseSample*>(data);
    sample->newestRowid = api->xRowid(fts);
    ++sample->matches;
    return sample->matches < kExactDocumentFrequency ? SQLITE_OK : SQLITE_DONE; // DONE: stop, no error
}

/// How many rows contain the phrase: exact below the sample size; above it, the sample covered
/// rowids firstRowid…newestRowid, so the phrase is about that much denser than the table.
/// Assumes matches are spread evenly over the history, which is all a word's weight needs.
double documentFrequency(const PhraseSample& sample, sqlite3_int64 firstRowid,
                         sqlite3_int64 lastRowid, sqlite3_int64 rows) {
    if (sample.matches < kExactDocumentFrequency) return sample.matches;
    const double tableSpan = static_cast<double>(std::max<sqlite3_int64>(1, lastRowid - firstRowid + 1));
    const double sampleSpan = static_cast<double>(std::max<sqlite3_int64>(1, sample.newestRowid - firstRowid + 1));
    const double estimate = sample.matches * tableSpan / sampleSpan;
    return std::clamp(estimate, static_cast<double>(sample.matches), static_cast<double>(rows));
}

/// The classic BM25 inverse document frequency. A phrase in more than half of the rows would get
/// zero or less; like FTS5's bm25() it keeps a tiny positive weight so its repeats still count.
double inverseDocumentFrequency(double rows, double matching) {
    const double idf = std::log((rows - matching + 0.5) / (matching + 0.5));
    return idf > 0 ? idf : 1e-6;
}

void deleteStatistics(void* statistics) { delete static_cast<QueryStatistics*>(statistics); }

/// Reads the arguments and counts every phrase once per query. Returns nullptr and sets an
/// error on the result when something fails.
QueryStatistics* queryStatistics(const Fts5ExtensionApi* api, Fts5Context* fts,
                                 sqlite3_context* result, int argumentCount, sqlite3_value** arguments) {
    if (auto* cached = static_cast<QueryStatistics*>(api->xGetAuxdata(fts, 0))) return cached;
    if (argumentCount < 2) {
        sqlite3_result_error(result, "lucent_rank needs the first and last rowid of the table", -1);
        return nullptr;
    }
    const sqlite3_int64 firstRowid = sqlite3_value_int64(arguments[0]);
    const sqlite3_int64 lastRowid = sqlite3_value_int64(arguments[1]);

    auto statistics = new QueryStatistics;
    // Hand ownership over at once so every error path below frees it with the query.
    if (int rc = api->xSetAuxdata(fts, statistics, deleteStatistics); rc != SQLITE_OK) {
        sqlite3_result_error_code(result, rc);
        return nullptr;
    }
    for (int column = 0; column < api->xColumnCount(fts); ++column)
        statistics->columnWeights.push_back(
            column + 2 < argumentCount ? sqlite3_value_double(arguments[column + 2]) : 1.0);

    sqlite3_int64 rows = 0;
    sqlite3_int64 tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc == SQLITE_OK && rows > 0) statistics->averageLength = static_cast<double>(tokens) / static_cast<double>(rows);
    const int phrases = api->xPhraseCount(fts);
    for (int phrase = 0; rc == SQLITE_OK && phrase < phrases; ++phrase) {
        PhraseSample sample;
        rc = api->xQueryPhrase(fts, phrase, &sample, countMatch);
        const double matching = documentFrequency(sample, firstRowid, lastRowid, rows);
        statistics->inverseFrequency.push_back(inverseDocumentFrequency(static_cast<double>(rows), matching));
    }
    statistics->phraseWeight.assign(static_cast<std::size_t>(phrases), 0.0);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(result, rc);
        return nullptr;
    }
    return statistics;
}

/// The score of the current row: for each phrase, its weighted count in the row, saturated and
/// normalised by the row's length, times how rare the phrase is. Negated so lower is better.
void rankRow(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result,
             int argumentCount, sqlite3_value** arguments) {
    QueryStatistics* statistics = queryStatistics(api, fts, result, argumentCount, arguments);
    if (!statistics) return;

    std::fill(statistics->phraseWeight.begin(), statistics->phraseWeight.end(), 0.0);
    int instances = 0;
    int rc = api->xInstCount(fts, &instances);
    for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
        int phrase = 0;
        int column = 0;
        int offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc == SQLITE_OK)
            statistics->phraseWeight[static_cast<std::size_t>(phrase)] +=
                statistics->columnWeights[static_cast<std::size_t>(column)];
    }
    int length = 0;
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &length);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(result, rc);
        return;
    }

    const double lengthFactor =
        kSaturation * (1 - kLengthNormalisation + kLengthNormalisation * length / statistics->averageLength);
    double score = 0;
    for (std::size_t phrase = 0; phrase < statistics->phraseWeight.size(); ++phrase) {
        const double weight = statistics->phraseWeight[phrase];
        score += statistics->inverseFrequency[phrase] * weight * (kSaturation + 1) / (weight + lengthFactor);
    }
    sqlite3_result_double(result, -score);
}

} // namespace

Expected<void> registerSearchRanking(Database& db) {
    // FTS5 hands out its API through a pointer-typed SQL value (see "Extending FTS5").
    sqlite3_stmt* statement = nullptr;
    fts5_api* api = nullptr;
    if (sqlite3_prepare_v2(db.handle(), "SELECT fts5(?1)", -1, &statement, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(statement, 1, &api, "fts5_api_ptr", nullptr);
        sqlite3_step(statement);
    }
    sqlite3_finalize(statement);
    if (!api) return fail(Error{"This SQLite library lacks full-text search (FTS5), which Lucent needs."});
    if (int rc = api->xCreateFunction(api, kSearchRankName, nullptr, rankRow, nullptr); rc != SQLITE_OK)
        return fail(db.errorFor(rc));
    return {};
}

} // namespace lucent
