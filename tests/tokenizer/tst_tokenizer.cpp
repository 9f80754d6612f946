// Tokenizer units on small hand-built vocabularies: byte map, merge priority, added tokens,
// SentencePiece, streaming detokenization, and the errors a broken vocabulary gives.
#include "inference/tokenizer/ByteLevel.h"
#include "inference/tokenizer/StreamingDetokenizer.h"
#include "inference/tokenizer/Tokenizer.h"

#include <QTest>

using namespace lucent;

namespace {

// A byte-level vocabulary: all 256 byte symbols, a few merges, and added tokens.
VocabularyData tinyBpe() {
    VocabularyData d;
    d.model = "gpt2";
    d.pre = "qwen2";
    for (int b = 0; b < 256; ++b) d.tokens.push_back(bytesToSymbols(std::string(1, char(b))));
    d.tokenTypes.assign(256, 1);
    auto add = [&](std::string text, int type = 1) {
        d.tokens.push_back(std::move(text));
        d.tokenTypes.push_back(type);
        return int32_t(d.tokens.size() - 1);
    };
    add("ab");  // 256
    add("bc");  // 257
    add("abc"); // 258
    add("Ġa");  // 259
    add("<|end|>", 3);  // 260 control
    add("<think>", 4);  // 261 user-defined
    add("<|end|>x", 3); // 262 longer control token sharing a prefix
    d.merges = {"b c", "a b", "a bc", "Ġ a"}; // "b c" outranks "a b"
    d.bos = 260;
    d.eos = 260;
    return d;
}

std::vector<int32_t> ids(std::initializer_list<int32_t> list) { return list; }

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT

private slots:
    void byteMapRoundTripsEveryByte() {
        std::string all;
        for (int b = 0; b < 256; ++b) all.push_back(char(b));
        const auto symbols = bytesToSymbols(all);
        QCOMPARE(bytesToSymbols(" "), std::string("Ġ"));
        QCOMPARE(bytesToSymbols("\n"), std::string("Ċ"));
        QCOMPARE(*symbolsToBytes(symbols), all);
        QVERIFY(!symbolsToBytes("€").has_value()); // not a byte symbol
    }

    void mergesByRankNotByPosition() {
        auto t = Tokenizer::create(tinyBpe());
        QVERIFY(t.ok());
        // "abc": "b c" (rank 0) merges before "a b" (rank 1), then "a bc" → "abc".
        QCOMPARE(t->tokenize("abc"), ids({258}));
        // "abab": only "a b" applies, twice.
        QCOMPARE(t->tokenize("abab"), ids({256, 256}));
        QCOMPARE(t->tokenize(" a"), ids({259}));
        QCOMPARE(t->tokenize(""), ids({}));
    }

    void addedTokens() {
        auto t = Tokenizer::create(tinyBpe());
        // Control tokens only with parseSpecial; user-defined ones always.
        QCOMPARE(t->tokenize("<|end|>", {.addBos = false, .parseSpecial = true}), ids({260}));
        QVERIFY(t->tokenize("<|end|>", {}).size() > 1);
        QCOMPARE(t->tokenize("<think>", {}), ids({261}));
        // Longest match wins.
        QCOMPARE(t->tokenize("<|end|>x", {.addBos = false, .parseSpecial = true}), ids({262}));
        QCOMPARE(t->tokenize("ab<think>ab"), ids({256, 261, 256}));
        QCOMPARE(t->tokenize("ab", {.addBos = true, .parseSpecial = false}), ids({260, 256}));
    }

    void detokenizeAndRenderSpecial() {
        auto t = Tokenizer::create(tinyBpe());
        QCOMPARE(t->detokenize(ids({256, 261, 259, 260})), std::string("ab<think> a<|end|>"));
        QCOMPARE(t->detokenize(ids({256, 260}), false), std::string("ab"));
        QCOMPARE(t->tokenToPiece(99999), std::string());
    }

    void invalidUtf8IsRepairedNotCrashed() {
        auto t = Tokenizer::create(tinyBpe());
        const auto got = t->tokenize(std::string("a\xff\xfe" "b\xc3"));
        QCOMPARE(t->detokenize(got), std::string("a\xef\xbf\xbd\xef\xbf\xbd" "b\xef\xbf\xbd"));
    }

    void streamingNeverSplitsACharacter() {
        auto t = Tokenizer::create(tinyBpe());
        const std::string text = "é🤖中";
        StreamingDetokenizer stream(*t);
        std::string out;
        std::vector<std::string> emitted;
        for (unsigned char byte : text) { // one byte token at a time
            const std::string piece = stream.push(int32_t(byte));
            if (!piece.empty()) emitted.push_back(piece);
            out += piece;
        }
        out += stream.finish();
        QCOMPARE(out, text);
        QCOMPARE(emitted, (std::vector<std::string>{"é", "🤖", "中"}));
        StreamingDetokenizer broken(*t);
        QCOMPARE(broken.push(0xf0), std::string());
        QCOMPARE(broken.finish(), std::string("\xef\xbf\xbd"));
    }

    void sentencePiece() {
        VocabularyData d;
        d.model = "llama";
        d.tokens = {"<unk>", "<s>", "</s>", "▁", "h", "e", "l", "o", "▁h", "he", "ll", "llo", "▁hello", "▁he", "w"};
        d.scores = {0, 0, 0, -1, -5, -5, -5, -5, -2, -3, -2.5f, -1.5f, -0.5f, -1, -5};
        d.tokenTypes = {2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        for (int b = 0; b < 256; ++b) {
            char name[8];
            std::snprintf(name, sizeof name, "<0x%02X>", b);
            d.tokens.push_back(name);
            d.scores.push_back(0);
            d.tokenTypes.push_back(6);
        }
        d.bos = 1;
        d.unk = 0;
        auto t = Tokenizer::create(d);
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().message.c_str());
        QCOMPARE(t->tokenize("hello"), ids({12}));
        // "é" has no token: byte fallback <0xC3><0xA9> (ids 15 + byte).
        QCOMPARE(t->tokenize("hé"), ids({8, 15 + 0xc3, 15 + 0xa9}));
        QCOMPARE(t->detokenize(t->tokenize("hello he")), std::string(" hello he"));
    }

    void brokenVocabulariesAreClearErrors_data() {
        QTest::addColumn<int>("breakage");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown model") << 0 << "tokenizer type 'bert' is not supported";
        QTest::newRow("unknown pre") << 1 << "pre-tokenizer 'gpt5' is not supported (supported:";
        QTest::newRow("no merges") << 2 << "has no merges";
        QTest::newRow("bos out of range") << 3 << "special token id 999999";
        QTest::newRow("types mismatch") << 4 << "token types (3) do not match";
    }
    void brokenVocabulariesAreClearErrors() {
        QFETCH(int, breakage);
        QFETCH(QString, message);
        auto d = tinyBpe();
        switch (breakage) {
        case 0: d.model = "bert"; break;
        case 1: d.pre = "gpt5"; break;
        case 2: d.merges.clear(); break;
        case 3: d.bos = 999999; break;
        case 4: d.tokenTypes = {1, 1, 1}; break;
        }
        auto t = Tokenizer::create(d);
        QVERIFY(!t.ok());
        QVERIFY2(QString::fromStdString(t.error().message).contains(message), t.error().message.c_str());
    }

    void everyPreTokenizerCompilesAndCoversItsInput() {
        const std::string text = "Hello 世界 123456 ab'cd  \n\t x²³ 🎉 مرحبا";
        for (const auto& name : PreTokenizer::supportedNames()) {
            auto pre = PreTokenizer::forName(name);
            QVERIFY2(pre.ok(), name.c_str());
            std::string joined;
            for (auto piece : pre->split(text)) joined += piece;
            QCOMPARE(joined, text);
        }
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
