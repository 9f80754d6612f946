// Full-text search: every language findable, diacritics ignored, bm25 ranking, highlighted
// snippets, the index following edits and deletions, user text never read as query syntax.
#include "StorageTestSupport.h"
#include "storage/ChatStore.h"

#include <QTemporaryDir>
#include <QTest>
#include <map>

using namespace lucent;

class TestStorageSearch : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::optional<ChatStore> store_;
    std::map<std::string, MessageId> ids_; // tag -> message

    MessageId add(ConversationId chat, const std::string& tag, std::string content,
                  std::string reasoning = {}) {
        NewMessage message;
        message.role = reasoning.empty() ? Role::User : Role::Assistant;
        message.content = std::move(content);
        message.reasoning = std::move(reasoning);
        const auto id = must(store_->appendMessage(chat, std::nullopt, message));
        ids_[tag] = id;
        return id;
    }

    std::vector<MessageId> find(const std::string& query) {
        std::vector<MessageId> found;
        for (const auto& hit : must(store_->search(query, 20), "search")) found.push_back(hit.message);
        return found;
    }

private slots:
    void initTestCase() {
        store_.emplace(must(ChatStore::open((dir_.path() + "/lucent.db").toStdString())));
        const auto chat = must(store_->createConversation({"languages", "", "", "{}"}));
        add(chat, "french", "The café on Rue de Rivoli serves crêpes.");
        add(chat, "german", "Ärger mit der Straßenbahn in München");
        add(chat, "russian", "Москва — столица России");
        add(chat, "yo", "Ёжик в тумане");
        add(chat, "chinese", "我住在東京都新宿区");
        add(chat, "japanese", "今日はとても良い天気ですね");
        add(chat, "thai", "ฉันชอบกินข้าวผัดมาก");
        add(chat, "korean", "서울에서 만났어요");
        add(chat, "greek", "Ελληνικά γράμματα");
        add(chat, "arabic", "مرحبا بالعالم");
        add(chat, "vietnamese", "Tiếng Việt có dấu");
        add(chat, "reasoning", "plain answer", "a hidden unicorn in the reasoning");
    }

    void findsEveryLanguage_data() {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("tag");
        QTest::newRow("diacritics removed") << "cafe" << "french";
        QTest::newRow("case and accents folded") << "CRÊPES" << "french";
        QTest::newRow("umlaut folded") << "arger" << "german";
        QTest::newRow("umlaut inside word") << "munchen" << "german";
        QTest::newRow("sharp s kept") << "straßenbahn" << "german";
        QTest::newRow("cyrillic case") << "москва" << "russian";
        QTest::newRow("cyrillic yo as ye") << "ежик" << "yo";
        QTest::newRow("cyrillic yo as typed") << "ёжик" << "yo";
        QTest::newRow("two CJK characters") << "東京" << "chinese";
        QTest::newRow("one CJK character") << "宿" << "chinese";
        QTest::newRow("CJK across word boundary") << "京都新" << "chinese";
        QTest::newRow("kanji word") << "天気" << "japanese";
        QTest::newRow("hiragana") << "とても" << "japanese";
        QTest::newRow("thai without spaces") << "ข้าวผัด" << "thai";
        QTest::newRow("hangul before particle") << "서울" << "korean";
        QTest::newRow("greek case") << "ελληνικά" << "greek";
        QTest::newRow("greek without tonos") << "ελληνικα" << "greek";
        QTest::newRow("arabic") << "مرحبا" << "arabic";
        QTest::newRow("vietnamese without marks") << "tieng viet" << "vietnamese";
        QTest::newRow("vietnamese with marks") << "dấu" << "vietnamese";
        QTest::newRow("in reasoning") << "unicorn" << "reasoning";
        QTest::newRow("every word must match") << "東京 新宿" << "chinese";
        QTest::newRow("ideographic space separates") << "東京\u3000新宿" << "chinese";
    }

    void findsEveryLanguage() {
        QFETCH(QString, query);
        QFETCH(QString, tag);
        const auto found = find(query.toStdString());
        QCOMPARE(found.size(), std::size_t(1));
        QCOMPARE(found[0], ids_.at(tag.toStdString()));
    }

    void findsNothingWhenWordsAreApart_data() {
        QTest::addColumn<QString>("query");
        QTest::newRow("words in different messages") << "cafe München";
        QTest::newRow("characters not adjacent") << "東新";
        QTest::newRow("absent word") << "giraffe";
        QTest::newRow("only spaces") << "   ";
    }

    void findsNothingWhenWordsAreApart() {
        QFETCH(QString, query);
        QCOMPARE(find(query.toStdString()).size(), std::size_t(0));
    }

    void neverReadsQuerySyntax_data() {
        QTest::addColumn<QString>("query");
        QTest::newRow("unbalanced quote") << "\"cafe";
        QTest::newRow("operators") << "cafe AND OR NOT NEAR(";
        QTest::newRow("column filter") << "content:cafe";
        QTest::newRow("star and caret") << "* ^cafe";
        QTest::newRow("parentheses") << "(cafe))";
    }

    void neverReadsQuerySyntax() {
        QFETCH(QString, query);
        auto hits = store_->search(query.toStdString(), 10);
        QVERIFY2(hits.ok(), hits.ok() ? "" : hits.error().message.c_str());
    }

    void ranksWithBm25() {
        const auto chat = must(store_->createConversation({"ranking", "", "", "{}"}));
        // Same words in the reasoning weigh half of those in the answer; repeats weigh more.
        const auto inReasoning = add(chat, "r1", "nothing here", "an alpaca grazes in the field");
        const auto longContent = add(chat, "r2", "an alpaca grazes in the field");
        const auto shortContent = add(chat, "r3", "alpaca alpaca");
        const auto hits = must(store_->search("alpaca", 10));
        QCOMPARE(hits.size(), std::size_t(3));
        QCOMPARE(hits[0].message, shortContent);
        QCOMPARE(hits[1].message, longContent);
        QCOMPARE(hits[2].message, inReasoning);
        QVERIFY(hits[0].rank <= hits[1].rank && hits[1].rank <= hits[2].rank);
        QCOMPARE(hits[0].conversationTitle, std::string("ranking"));
        QCOMPARE(hits[0].conversation, chat);
        QCOMPARE(must(store_->search("alpaca", 2)).size(), std::size_t(2));
    }

    void highlightsTheMatch_data() {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("highlighted");
        QTest::newRow("folded word") << "cafe" << "café";
        QTest::newRow("CJK phrase") << "東京" << "東京";
        QTest::newRow("thai") << "ข้าวผัด" << "ข้าวผัด";
        QTest::newRow("reasoning column") << "unicorn" << "unicorn";
    }

    void highlightsTheMatch() {
        QFETCH(QString, query);
        QFETCH(QString, highlighted);
        const auto hits = must(store_->search(query.toStdString(), 1));
        QCOMPARE(hits.size(), std::size_t(1));
        const auto& hit = hits[0];
        QVERIFY(!hit.highlights.empty());
        std::string marked;
        for (const auto& highlight : hit.highlights) {
            QVERIFY(highlight.offset + highlight.length <= hit.snippet.size());
            marked += hit.snippet.substr(highlight.offset, highlight.length);
        }
        QCOMPARE(QString::fromStdString(marked), highlighted);
        QVERIFY(hit.snippet.find('\x02') == std::string::npos);
        QVERIFY(hit.snippet.find('\x03') == std::string::npos);
    }

    void ranksTheNewestMatchesOfAVeryCommonWord() {
        // 2,100 matches: only the newest 1,000 are ranked, so the strong but oldest match drops out
        // and the strongest recent one leads.
        ConversationTree tree;
        tree.conversation.title = "common";
        for (int i = 0; i < 2100; ++i) {
            Message message;
            message.id = i + 1;
            message.content = i == 0 ? "ubiquitous ubiquitous ubiquitous ubiquitous" : "ubiquitous word number " + std::to_string(i);
            if (i == 2050) message.content = "ubiquitous ubiquitous ubiquitous";
            tree.messages.push_back(message);
        }
        const auto chat = must(store_->insertTrees({tree})).front();
        const auto all = must(store_->messages(chat));
        const auto hits = must(store_->search("ubiquitous", 50));
        QCOMPARE(hits.size(), std::size_t(50));
        QCOMPARE(hits[0].message, all[2050].id);
        for (const auto& hit : hits) QVERIFY(hit.message != all[0].id);
    }

    void followsEditsAndDeletions() {
        const auto chat = must(store_->createConversation({"streaming", "", "", "{}"}));
        const auto question = add(chat, "q", "tell me about animals");
        const auto reply = must(store_->beginStreamingReply(chat, question, "m", "{}"));
        must(store_->updateStreamingReply(reply, "a zebra", "thinking about stripes"));
        QCOMPARE(find("zebra"), std::vector<MessageId>{reply});
        QCOMPARE(find("stripes"), std::vector<MessageId>{reply});
        must(store_->finishReply(reply, "a yak", "", {}, FinishReason::Stop));
        QCOMPARE(find("zebra").size(), std::size_t(0));
        QCOMPARE(find("stripes").size(), std::size_t(0));
        QCOMPARE(find("yak"), std::vector<MessageId>{reply});
        must(store_->deleteConversation(chat));
        QCOMPARE(find("yak").size(), std::size_t(0));
        must(store_->purgeDeletedConversations());
        QCOMPARE(find("yak").size(), std::size_t(0));
        // The index matches the table after all of that.
        must(store_->database().exec(
            "INSERT INTO message_search (message_search, rank) VALUES ('integrity-check', 1)"));
    }
};

QTEST_GUILESS_MAIN(TestStorageSearch)
#include "tst_storage_search.moc"
