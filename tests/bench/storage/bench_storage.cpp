// lucent_bench_storage [--conversations N] [--messages M] [--runs R] [--db PATH] [--keep] [--reuse]
// Builds a chat database of N conversations and M messages (Zipf-distributed words, some reasoning,
// some Chinese), then prints the median time of: listing the 100 most recent conversations, and
// full-text searches of rare, common and CJK terms (with the share of messages each matches,
// counted untimed). Exit code 1 when a query finds nothing.
//
// Figures (10,000 conversations, 1,000,000 messages, 444 MiB; the shared 2-core machine; median
// of 5 runs of `--reuse --runs 15`, each itself a median of 15), before → after ChatStore::search
// ranked with lucent_rank instead of bm25() (storage/SearchRanking.h):
//                                           load ~0.8          load ~7
//   listRecent(100)                      0.18 →  0.18 ms    0.11 →  0.12 ms
//   search "quantum"       (0.13% of msgs) 10.3 →  6.5      10.4  →  8.6
//   search "llama"         (1.25%)         23.5 →  5.3      24.3  →  7.1
//   search "quantum llama" (5 messages)     4.5 →  3.2       3.1  →  2.0
//   search "東京"          (2.46%)         27.5 →  6.0      27.9  →  7.6
//   search "ee"            (91%)           82.8 →  4.2      95.3  →  4.4
//   search "ee ctlnwzqt"   (70%)          ~165  →  4.5     ~169  →  7.9  (before: old code timed apart)
// Where the time went: bm25() counts every match of every query word before scoring the first
// row (90 ms for "ee"'s 910,000 matches, whatever the candidate window), and each snippet was a
// separate FTS5 lookup by rowid (0.1-0.5 ms each, 50 per search).
#include "storage/ChatStore.h"
#include "storage/Statement.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace lucent;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    int conversations = 10000;
    int messages = 1000000;
    int runs = 15;
    std::string path = "/tmp/lucent-bench-storage.db";
    bool keep = false;
    bool reuse = false; ///< keep an existing database at --db instead of building one
};

/// Text with the shape of chat: a Zipf vocabulary of 5,000 made-up words, plus marker words of
/// known frequency so the searches have a known number of hits.
class TextMaker {
public:
    TextMaker() : random_(20240601) {
        std::uniform_int_distribution<int> letter('a', 'z');
        std::uniform_int_distribution<int> length(2, 9);
        std::vector<double> weights;
        for (int rank = 1; rank <= 5000; ++rank) {
            std::string word;
            for (int i = length(random_); i > 0; --i) word += static_cast<char>(letter(random_));
            words_.push_back(word);
            weights.push_back(1.0 / rank);
        }
        zipf_ = std::discrete_distribution<int>(weights.begin(), weights.end());
    }

    std::string sentence(int words) {
        std::string text;
        std::uniform_real_distribution<double> chance(0, 1);
        for (int i = 0; i < words; ++i) {
            if (!text.empty()) text += ' ';
            text += words_[static_cast<std::size_t>(zipf_(random_))];
        }
        const double roll = chance(random_);
        if (roll < 0.001) text += " quantum";              // ~0.1% of texts
        else if (roll < 0.011) text += " llama";           // ~1%
        else if (roll < 0.031) text += " 我住在東京都新宿区"; // ~2% Chinese
        return text;
    }

    /// The word of Zipf rank `rank` (1: the most common, in about nine messages out of ten).
    const std::string& commonWord(int rank) const { return words_[static_cast<std::size_t>(rank - 1)]; }
    std::mt19937_64& random() { return random_; }

private:
    std::mt19937_64 random_;
    std::vector<std::string> words_;
    std::discrete_distribution<int> zipf_;
};

double medianMs(int runs, const std::function<bool()>& query, bool& foundSomething) {
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        foundSomething = query();
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        const char* value = i + 1 < argc ? argv[i + 1] : "";
        if (flag == "--conversations") options.conversations = std::atoi(value), ++i;
        else if (flag == "--messages") options.messages = std::atoi(value), ++i;
        else if (flag == "--runs") options.runs = std::max(1, std::atoi(value)), ++i;
        else if (flag == "--db") options.path = value, ++i;
        else if (flag == "--keep") options.keep = true;
        else if (flag == "--reuse") options.reuse = options.keep = true;
    }
    return options;
}

/// Fills the store through the public bulk API (insertTrees), a few hundred conversations per
/// transaction; each conversation gets a branch and reasoning on half of its replies.
Expected<void> build(ChatStore& store, const Options& options, TextMaker& text) {
    const int perConversation = std::max(1, options.messages / std::max(1, options.conversations));
    const std::int64_t yearAgo = nowMilliseconds() - 365LL * 24 * 3600 * 1000;
    std::uniform_int_distribution<std::int64_t> when(0, 365LL * 24 * 3600 * 1000);
    std::vector<ConversationTree> batch;
    for (int c = 0; c < options.conversations; ++c) {
        ConversationTree tree;
        tree.conversation.title = text.sentence(4);
        tree.conversation.createdAt = yearAgo + when(text.random());
        tree.conversation.updatedAt = tree.conversation.createdAt + 3600 * 1000;
        tree.conversation.pinned = c % 500 == 0;
        for (int m = 0; m < perConversation; ++m) {
            Message message;
            message.id = m + 1;
            // Mostly a chain; every 10th message branches off its grandparent (a regenerated reply).
            if (m > 0) message.parent = (m % 10 == 9 && m > 1) ? m - 1 : m;
            message.role = m % 2 == 0 ? Role::User : Role::Assistant;
            message.content = text.sentence(message.role == Role::User ? 15 : 40);
            if (message.role == Role::Assistant && m % 4 == 1) message.reasoning = text.sentence(40);
            if (message.role == Role::Assistant) message.finishReason = FinishReason::Stop;
            message.createdAt = message.updatedAt = tree.conversation.createdAt + m * 1000;
            tree.messages.push_back(std::move(message));
        }
        tree.conversation.activeLeaf = perConversation;
        batch.push_back(std::move(tree));
        if (batch.size() == 250 || c + 1 == options.conversations) {
            if (auto added = store.insertTrees(batch); !added) return fail(added.error());
            batch.clear();
        }
    }
    return {};
}

/// How many messages contain every word of `query` (counted once, untimed: it reads whole doclists).
double matchingMessages(ChatStore& store, const std::string& query) {
    std::string expression;
    for (std::size_t start = 0; start < query.size();) {
        std::size_t end = query.find(' ', start);
        if (end == std::string::npos) end = query.size();
        expression += (expression.empty() ? "\"" : " \"") + query.substr(start, end - start) + "\"";
        start = end + 1;
    }
    auto count = store.database().prepare("SELECT count(*) FROM message_search WHERE message_search MATCH :query");
    if (!count) return 0;
    count->bind(":query", expression);
    auto row = count->step();
    return row && *row ? static_cast<double>(count->columnInt(0)) : 0;
}

} // namespace

int main(int argc, char** argv) {
    const Options options = parse(argc, argv);
    const bool reusing = options.reuse && std::filesystem::exists(options.path);
    if (!reusing)
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(options.path + suffix);
    auto store = ChatStore::open(options.path);
    if (!store) return std::fprintf(stderr, "error: %s\n", store.error().message.c_str()), 1;

    TextMaker text; // the same seed: the same vocabulary as the database being reused
    const auto buildStart = Clock::now();
    if (!reusing)
        if (auto built = build(*store, options, text); !built)
            return std::fprintf(stderr, "error: %s\n", built.error().message.c_str()), 1;
    (void)store->database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const double buildSeconds = std::chrono::duration<double>(Clock::now() - buildStart).count();
    const auto messages = store->database().queryInt("SELECT count(*) FROM messages");
    const double mebibytes = static_cast<double>(std::filesystem::file_size(options.path)) / (1 << 20);
    const long long messageRows = messages ? static_cast<long long>(*messages) : -1LL;
    if (reusing)
        std::printf("reused %s: %lld messages; database %.0f MiB\n", options.path.c_str(), messageRows, mebibytes);
    else
        std::printf("built %d conversations, %lld messages in %.1f s; database %.0f MiB\n",
                    options.conversations, messageRows, buildSeconds, mebibytes);

    const double messagesCount = messages && *messages > 0 ? static_cast<double>(*messages) : 1.0;
    bool allFound = true;
    bool found = false;
    const double recent = medianMs(options.runs, [&] {
        auto list = store->listRecent(100);
        return list && !list->empty();
    }, found);
    allFound = allFound && found;
    std::printf("listRecent(100):              %8.2f ms (median of %d)\n", recent, options.runs);

    const std::vector<std::pair<std::string, std::string>> searches = {
        {"quantum", "rare word"},
        {"llama", "uncommon word"},
        {"quantum llama", "two words"},
        {"東京", "Chinese"},
        {text.commonWord(1), "the most common word"},
        {text.commonWord(1) + " " + text.commonWord(2), "the two most common words"},
    };
    for (const auto& [query, what] : searches) {
        std::size_t hits = 0;
        const double ms = medianMs(options.runs, [&] {
            auto result = store->search(query, 50);
            hits = result ? result->size() : 0;
            return result.ok();
        }, found);
        const bool needsHits = query != "quantum llama";
        allFound = allFound && found && (hits > 0 || !needsHits);
        std::printf("search(\"%s\", 50): %8.2f ms, %zu hits shown (%s, in %.3g%% of messages)\n",
                    query.c_str(), ms, hits, what.c_str(), 100.0 * matchingMessages(*store, query) / messagesCount);
    }
    if (!options.keep) {
        store = fail("closed"); // close before deleting
        std::filesystem::remove(options.path);
    }
    return allFound ? 0 : 1;
}
