// Search ranking (lucent_rank, storage/SearchRanking.h): the same scores as FTS5's bm25() while
// every word has fewer than 1,000 matches, within 2% of them when a common word's frequency is
// estimated, and a very common word still shows the best-ranked recent hits of conversations that
// are not deleted, each with its highlighted snippet. FTS5's own bm25() is the oracle throughout.
#include "StorageTestSupport.h"
#include "storage/ChatStore.h"
#include "storage/SearchRanking.h"

#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <map>

using namespace lucent;

namespace {

/// A conversation with one root message per text, in order; returns its message ids, oldest first.
std::vector<MessageId> addConversation(ChatStore& store, const std::string& title,
                                       const std::vector<std::string>& contents,
                                       const std::vector<std::string>& reasonings = {}) {
    ConversationTree tree;
    tree.conversation.title = title;
    for (std::size_t i = 0; i < contents.size(); ++i) {
        Message message;
        message.id = static_cast<MessageId>(i + 1);
        message.content = contents[i];
        if (i < reasonings.size()) message.reasoning = reasonings[i];
        tree.messages.push_back(std::move(message));
    }
    const auto chat = must(store.insertTrees({tree})).front();
    std::vector<MessageId> ids;
    for (const auto& message : must(store.messages(chat))) ids.push_back(message.id);
    return ids;
}

/// "a b" -> "\"a\" \"b\"", the expression ChatStore::search builds for plain words.
std::string quoted(const QString& query) {
    std::string expression;
    for (const QString& word : query.split(' ', Qt::SkipEmptyParts)) {
        if (!expression.empty()) expression += ' ';
        expression += '"' + word.toStdString() + '"';
    }
    return expression;
}

/// FTS5's bm25() with the search's column weights for every match, or for the newest `newest`.
std::map<MessageId, double> bm25Scores(ChatStore& store, const std::string& expression, int newest = -1) {
    auto select = must(store.database().prepare(
        "SELECT rowid, bm25(message_search, 1.0, 0.5) FROM message_search "
        "WHERE message_search MATCH :query ORDER BY rowid DESC LIMIT :newest"));
    select.bind(":query", expression).bind(":newest", newest);
    std::map<MessageId, double> scores;
    while (must(select.step())) scores[select.columnInt(0)] = select.columnDouble(1);
    return scores;
}

bool near(double a, double b, double relative) {
    return std::fabs(a - b) <= relative * std::max(std::fabs(a), std::fabs(b));
}

} // namespace

class TestStorageRanking : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    int stores_ = 0;

    ChatStore freshStore() {
        return must(ChatStore::open((dir_.path() + "/ranking" + QString::number(++stores_) + ".db").toStdString()));
    }

    /// Every hit scores what bm25() gives its message (within `relative`), hits come best first, and
    /// they are the best `limit` of `candidates` by bm25() (compared by score: equal scores tie).
    void compareWithBm25(const std::vector<SearchHit>& hits, const std::map<MessageId, double>& candidates,
                         double relative) {
        std::vector<double> best;
        for (const auto& [id, score] : candidates) best.push_back(score);
        std::sort(best.begin(), best.end());
        QCOMPARE(hits.size(), std::min<std::size_t>(best.size(), 50));
        for (std::size_t i = 0; i < hits.size(); ++i) {
            QVERIFY2(candidates.count(hits[i].message), "a hit outside the candidates");
            const double bm25 = candidates.at(hits[i].message);
            QVERIFY2(near(hits[i].rank, bm25, relative),
                     qPrintable(QString("hit %1: rank %2, bm25 %3").arg(i).arg(hits[i].rank).arg(bm25)));
            QVERIFY2(near(bm25, best[i], relative),
                     qPrintable(QString("hit %1 has bm25 %2, the %1th best is %3").arg(i).arg(bm25).arg(best[i])));
            if (i > 0) QVERIFY(hits[i - 1].rank <= hits[i].rank);
        }
    }

private slots:
    void equalsBm25WhileCountsAreExact_data() {
        QTest::addColumn<QString>("query");
        QTest::newRow("one word") << "red";
        QTest::newRow("common and rarer word") << "red green";
        QTest::newRow("rarer words weigh more") << "green blue";
        QTest::newRow("three words") << "red green blue";
        QTest::newRow("word in reasoning too") << "violet";
    }

    void equalsBm25WhileCountsAreExact() {
        QFETCH(QString, query);
        ChatStore store = freshStore();
        // 300 messages of different lengths and word mixes: every word has fewer than 1,000
        // matches, so lucent_rank counts them exactly and must give bm25()'s very scores.
        std::vector<std::string> contents;
        std::vector<std::string> reasonings;
        for (int i = 0; i < 300; ++i) {
            std::string text = "message " + std::to_string(i);
            if (i % 2 == 0) text += " red";
            if (i % 3 == 0) text += " green";
            if (i % 7 == 0) text += " blue red";
            if (i % 11 == 0) text += " violet";
            for (int filler = 0; filler < i % 9; ++filler) text += " filler";
            contents.push_back(text);
            reasonings.push_back(i % 5 == 0 ? "thinking of violet and red" : "");
        }
        addConversation(store, "colours", contents, reasonings);
        const auto hits = must(store.search(query.toStdString(), 50));
        compareWithBm25(hits, bm25Scores(store, quoted(query)), 1e-9);
    }

    void estimatesCommonWordsCloseToBm25_data() {
        QTest::addColumn<QString>("query");
        QTest::newRow("common word") << "often";
        QTest::newRow("common and rare word") << "often seldom";
        QTest::newRow("rare word") << "seldom";
    }

    void estimatesCommonWordsCloseToBm25() {
        QFETCH(QString, query);
        ChatStore store = freshStore();
        // "often" in 1,200 of 3,600 messages: more than lucent_rank counts, so its frequency is
        // estimated; evenly spread, the estimate is close and so are the scores.
        std::vector<std::string> contents;
        for (int i = 0; i < 3600; ++i) {
            std::string text = "line " + std::to_string(i);
            if (i % 3 == 0) text += " often";
            if (i % 6 == 0) text += " often";
            if (i % 40 == 0) text += " seldom";
            for (int filler = 0; filler < i % 13; ++filler) text += " padding";
            contents.push_back(text);
        }
        addConversation(store, "frequencies", contents);
        const auto hits = must(store.search(query.toStdString(), 50));
        // Only the newest 1,000 matches are candidates (ChatStore::search).
        compareWithBm25(hits, bm25Scores(store, quoted(query), kExactDocumentFrequency), 0.02);
    }

    void commonWordShowsBestRecentHitsOfLiveChats() {
        ChatStore store = freshStore();
        // The strongest match of all is the oldest: outside the newest 1,000 matches.
        const auto old = addConversation(store, "old", {"ubiquitous ubiquitous ubiquitous ubiquitous"});
        std::vector<std::string> contents;
        for (int i = 0; i < 3600; ++i) {
            std::string text = i % 3 == 0 ? "ubiquitous word number " : "plain word number ";
            text += std::to_string(i);
            for (int filler = 0; filler < i % 5; ++filler) text += " padding";
            contents.push_back(text);
        }
        contents[3300] = "ubiquitous ubiquitous ubiquitous";
        const auto live = addConversation(store, "live", contents);
        // The strongest recent matches are in a deleted conversation: never shown, and the 50
        // hits are still filled from the live one.
        const auto gone = addConversation(store, "gone", std::vector<std::string>(5, "ubiquitous ubiquitous ubiquitous ubiquitous"));
        must(store.deleteConversation(must(store.message(gone[0])).conversation));

        const auto hits = must(store.search("ubiquitous", 50));
        QCOMPARE(hits.size(), std::size_t(50));
        QCOMPARE(hits[0].message, live[3300]);
        auto window = bm25Scores(store, "\"ubiquitous\"", kExactDocumentFrequency);
        QVERIFY(!window.count(old[0]));
        for (MessageId id : gone) window.erase(id);
        compareWithBm25(hits, window, 0.02);
        for (const auto& hit : hits) {
            QCOMPARE(hit.conversationTitle, std::string("live"));
            QVERIFY2(!hit.highlights.empty(), qPrintable(QString("no highlight in hit %1").arg(hit.message)));
            for (const auto& highlight : hit.highlights)
                QCOMPARE(hit.snippet.substr(highlight.offset, highlight.length), std::string("ubiquitous"));
        }
    }

    void deletedChatNeverHidesOlderLiveMatches() {
        ChatStore store = freshStore();
        std::vector<std::string> older;
        for (int i = 0; i < 30; ++i) older.push_back("widespread topic " + std::to_string(i) + std::string(i % 4, '!'));
        older[7] = "widespread widespread topic";
        const auto live = addConversation(store, "older live", older);
        // The newest 2,500 matches all belong to one deleted conversation: the first two windows
        // of candidates are entirely deleted, and the live matches are still found behind them.
        const auto gone = addConversation(store, "gone", std::vector<std::string>(2500, "widespread widespread widespread"));
        must(store.deleteConversation(must(store.message(gone[0])).conversation));

        const auto hits = must(store.search("widespread", 50));
        QCOMPARE(hits.size(), live.size());
        QCOMPARE(hits[0].message, live[7]);
        for (std::size_t i = 0; i < hits.size(); ++i) {
            QCOMPARE(hits[i].conversationTitle, std::string("older live"));
            QVERIFY(!hits[i].highlights.empty());
            if (i > 0) QVERIFY(hits[i - 1].rank <= hits[i].rank);
        }
        QCOMPARE(must(store.search("widespread", 5)).size(), std::size_t(5));
    }

    void rankNeedsTheRowidRange() {
        ChatStore store = freshStore();
        addConversation(store, "one", {"lonely word"});
        auto select = must(store.database().prepare(
            "SELECT lucent_rank(message_search) FROM message_search WHERE message_search MATCH 'lonely'"));
        auto row = select.step();
        QVERIFY(!row);
        QVERIFY2(row.error().message.find("rowid") != std::string::npos, row.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestStorageRanking)
#include "tst_storage_ranking.moc"
