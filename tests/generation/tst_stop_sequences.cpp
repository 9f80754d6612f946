// StopSequences: a table of texts and stop lists with hand-written expected output, each fed in every
// split pattern; holding back only what could still become a stop string.
#include "inference/generation/StopSequences.h"

#include "SplitPatterns.h"

#include <QTest>

using namespace lucent;

namespace {

struct Outcome {
    std::string text;
    bool stopped = false;
    std::string matched;
};

Outcome run(const std::vector<std::string>& stops, const std::vector<std::string>& pieces) {
    StopSequences watcher(stops);
    Outcome out;
    for (const std::string& piece : pieces) {
        StopDelta delta = watcher.feed(piece);
        out.text += delta.text;
        if (delta.stopped) out.stopped = true;
    }
    out.text += watcher.finish();
    out.matched = watcher.matchedStop();
    if (out.stopped != watcher.stopped()) qFatal("stopped() disagrees with the deltas");
    return out;
}

std::vector<std::string> toStd(const QStringList& list) {
    std::vector<std::string> out;
    for (const QString& s : list) out.push_back(s.toStdString());
    return out;
}

} // namespace

class TestStopSequences : public QObject {
    Q_OBJECT

private slots:
    void everySplitGivesTheSameResult_data() {
        QTest::addColumn<QStringList>("stops");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("output");
        QTest::addColumn<bool>("stopped");
        QTest::addColumn<QString>("matched");
        QTest::newRow("no stops") << QStringList{} << "Hello world" << "Hello world" << false << "";
        QTest::newRow("stop in the middle") << QStringList{"\nUser:"} << "Answer.\nUser: more" << "Answer." << true << "\nUser:";
        QTest::newRow("stop at the very start") << QStringList{"###"} << "### rest" << "" << true << "###";
        QTest::newRow("stop at the very end") << QStringList{"END"} << "the END" << "the " << true << "END";
        QTest::newRow("prefix that never completes") << QStringList{"STOP"} << "a STO b ST" << "a STO b ST" << false << "";
        QTest::newRow("overlapping start") << QStringList{"aab"} << "xaaab!" << "xa" << true << "aab";
        QTest::newRow("first to complete wins") << QStringList{"abcd", "bc"} << "xabcd" << "xa" << true << "bc";
        QTest::newRow("longest of those ending together") << QStringList{"c", "abc"} << "xabcy" << "x" << true << "abc";
        QTest::newRow("earliest of two") << QStringList{"two", "one"} << "zero one two" << "zero " << true << "one";
        QTest::newRow("empty stop ignored") << QStringList{"", "!"} << "hi!" << "hi" << true << "!";
        QTest::newRow("UTF-8 stop") << QStringList{"\u00bb\u00bb"} << "caf\u00e9 \u00bb x \u00bb\u00bb y"
                                    << "caf\u00e9 \u00bb x " << true << "\u00bb\u00bb";
        QTest::newRow("chat turn markers") << QStringList{"<|im_end|>", "<|endoftext|>"} << "Done<|im_e|><|im_end|>tail"
                                           << "Done<|im_e|>" << true << "<|im_end|>";
    }

    void everySplitGivesTheSameResult() {
        QFETCH(QStringList, stops);
        QFETCH(QString, input);
        QFETCH(QString, output);
        QFETCH(bool, stopped);
        QFETCH(QString, matched);
        for (const SplitPattern& pattern : splitPatterns(input.toStdString())) {
            const Outcome got = run(toStd(stops), pattern.pieces);
            const QByteArray where = QByteArray("split pattern: ") + pattern.name.c_str() + ", got [" + got.text.c_str() + "]";
            QVERIFY2(got.text == output.toStdString(), where.constData());
            QVERIFY2(got.stopped == stopped, where.constData());
            QVERIFY2(got.matched == matched.toStdString(), where.constData());
        }
    }

    void holdsBackOnlyPossibleStarts() {
        StopSequences watcher({"</s>", "\n\nUser"});
        QCOMPARE(watcher.feed("Hello <").text, std::string("Hello ")); // "<" may start "</s>"
        QCOMPARE(watcher.feed("b> ok\n").text, std::string("<b> ok"));  // "\n" may start "\n\nUser"
        QCOMPARE(watcher.feed("\nUs").text, std::string());
        const StopDelta last = watcher.feed("er: hi");
        QVERIFY(last.stopped);
        QCOMPARE(last.text, std::string());
        const StopDelta after = watcher.feed("more");
        QVERIFY(after.stopped);
        QCOMPARE(after.text, std::string());
        QCOMPARE(watcher.finish(), std::string());
    }
};

QTEST_APPLESS_MAIN(TestStopSequences)
#include "tst_stop_sequences.moc"
