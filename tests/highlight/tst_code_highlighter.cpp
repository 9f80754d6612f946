// Code highlighting through KDE's command-line renderer (the real kate-syntax-highlighter): coloured
// spans for real languages whose text is the code exactly, fence names mapped to KDE's definitions,
// escaped plain text for unknown languages, the cache, shared and limited processes, and a missing,
// failing or hung tool (plain text, one warning, no hang). Prints the measured latency.
#include "app/highlight/CodeHighlighter.h"
#include "app/highlight/HighlightHtml.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace lucent::app;

namespace {

// Waits for request `id`'s answer (the spy must have been made before the request).
QString answerFor(QSignalSpy& spy, quint64 id, int timeoutMs = 10000) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        for (const auto& args : spy)
            if (args[0].toULongLong() == id) return args[1].toString();
        spy.wait(50);
    }
    return QStringLiteral("TIMEOUT");
}

QString highlightNow(CodeHighlighter& highlighter, const QString& code, const QString& language, bool dark = false) {
    QSignalSpy done(&highlighter, &CodeHighlighter::highlighted);
    return answerFor(done, highlighter.request(code, language, dark));
}

// The text a rich-text view shows for `html`: tags dropped, the five escapes undone.
QString shownText(QString html) {
    static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
    html.remove(tag);
    html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    return html;
}

// A stand-in renderer: a shell script that lists one definition and then does `body`.
QString fakeTool(const QTemporaryDir& dir, const QString& body) {
    const QString path = dir.filePath("fake-highlighter");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return {};
    file.write(("#!/bin/sh\nif [ \"$1\" = --list ]; then echo Python; exit 0; fi\n" + body + "\n").toUtf8());
    file.close();
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

} // namespace

class TestCodeHighlighter : public QObject {
    Q_OBJECT
private slots:
    void fenceWordsMapToDefinitions_data() {
        QTest::addColumn<QString>("word");
        QTest::addColumn<QString>("definition");
        QTest::newRow("python") << "python" << "Python";
        QTest::newRow("Python") << "Python" << "Python";
        QTest::newRow("py") << "py" << "Python";
        QTest::newRow("c++") << "c++" << "C++";
        QTest::newRow("cpp") << "cpp" << "C++";
        QTest::newRow("c") << "c" << "C";
        QTest::newRow("js") << "js" << "JavaScript";
        QTest::newRow("ts") << "ts" << "TypeScript";
        QTest::newRow("tsx") << "tsx" << "TypeScript React (TSX)";
        QTest::newRow("sh") << "sh" << "Bash";
        QTest::newRow("rs") << "rs" << "Rust";
        QTest::newRow("go") << "go" << "Go";
        QTest::newRow("yml") << "yml" << "YAML";
        QTest::newRow("json") << "json" << "JSON";
        QTest::newRow("sql") << "sql" << "SQL";
        QTest::newRow("dockerfile") << "dockerfile" << "Dockerfile";
        QTest::newRow("cmake") << "cmake" << "CMake";
        QTest::newRow("diff") << "diff" << "Diff";
        QTest::newRow("ocaml") << "ocaml" << "Objective Caml";
        QTest::newRow("text is plain") << "text" << "";
        QTest::newRow("none is plain") << "none" << "";
        QTest::newRow("unknown") << "klingon" << "";
        QTest::newRow("empty") << "" << "";
    }
    void fenceWordsMapToDefinitions() {
        QFETCH(QString, word);
        QFETCH(QString, definition);
        CodeHighlighter highlighter;
        QCOMPARE(highlighter.definitionFor(word), QString()); // the list has not been read yet
        highlightNow(highlighter, "x", "python");             // reads it
        QVERIFY2(highlighter.definitionsLoaded(), "is libkf5syntaxhighlighting-tools installed?");
        QCOMPARE(highlighter.definitionFor(word), definition);
    }

    void realLanguagesGetColours_data() {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("code");
        QTest::newRow("python") << "python" << "def f(x):\n    \"\"\"Doc <b> & 'q'.\"\"\"\n    return x  # 注释\n";
        QTest::newRow("py alias") << "py" << "import os\n\n\nprint(os.sep)";
        QTest::newRow("c++") << "c++" << "#include <vector>\ntemplate <class T> T f(T a) { return a < 0 ? -a : a; }";
        QTest::newRow("rust") << "rs" << "fn main() {\n\tlet s = \"مرحبا\";\n}";
        QTest::newRow("bash") << "sh" << "for f in *.gguf; do echo \"$f\" && ls -l \"$f\"; done";
        QTest::newRow("javascript") << "js" << "const a = `x${1 + 2}`; // <tag>";
    }
    void realLanguagesGetColours() {
        QFETCH(QString, language);
        QFETCH(QString, code);
        CodeHighlighter highlighter;
        const QString html = highlightNow(highlighter, code, language);
        QCOMPARE(highlighter.processesStarted(), 1);
        QVERIFY2(html.startsWith("<pre") && html.endsWith("</pre>"), qPrintable(html));
        QVERIFY2(html.contains(QRegularExpression("<span style=\"[^\"]*color:#[0-9a-f]{6}")), qPrintable(html));
        QVERIFY(!html.contains("<html") && !html.contains("<body"));
        QCOMPARE(shownText(html), code); // every character, line break and escape intact
    }

    // The time from request to answer, one block at a time (the renderer's start-up dominates) and
    // a burst of 12 blocks (a conversation opened with many code blocks; two processes at a time).
    void latency() {
        CodeHighlighter highlighter;
        highlightNow(highlighter, "warm = 'up'", "python");
        QList<qint64> times;
        for (int i = 0; i < 8; ++i) {
            QElapsedTimer timer;
            timer.start();
            const QString html = highlightNow(highlighter, QStringLiteral("def f%1(x):\n    return x * %1\n").arg(i).repeated(20), "python");
            times.append(timer.elapsed());
            QVERIFY(html.contains("<span"));
        }
        std::sort(times.begin(), times.end());
        QSignalSpy done(&highlighter, &CodeHighlighter::highlighted);
        QElapsedTimer burst;
        burst.start();
        for (int i = 0; i < 12; ++i) highlighter.request(QStringLiteral("int f%1() { return %1; }").arg(i), "cpp", false);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 12, 20000);
        qInfo("highlight latency, 40-line Python block: median %lld ms, max %lld ms; 12 C++ blocks at once: %lld ms",
              times[times.size() / 2], times.last(), burst.elapsed());
        QVERIFY(highlighter.mostConcurrentProcesses() <= CodeHighlighter::kMaxProcesses);
        QCOMPARE(highlighter.mostConcurrentProcesses(), CodeHighlighter::kMaxProcesses);
    }

    void darkThemeDiffers() {
        CodeHighlighter highlighter;
        const QString light = highlightNow(highlighter, "x = 1  # one", "python", false);
        const QString dark = highlightNow(highlighter, "x = 1  # one", "python", true);
        QVERIFY(light.contains("<span") && dark.contains("<span"));
        QVERIFY(light != dark);
        QCOMPARE(shownText(light), shownText(dark));
    }

    void unknownLanguageIsEscapedPlainText() {
        CodeHighlighter highlighter;
        const QString html = highlightNow(highlighter, "<b>not markup</b> & more", "no-such-language");
        QCOMPARE(html, QString("<pre>&lt;b&gt;not markup&lt;/b&gt; &amp; more</pre>"));
        QCOMPARE(highlighter.processesStarted(), 0);
    }

    void answersNeverArriveBeforeRequestReturns() {
        CodeHighlighter highlighter;
        highlightNow(highlighter, "print('cached')", "python");
        QSignalSpy done(&highlighter, &CodeHighlighter::highlighted);
        highlighter.request("print('cached')", "python", false); // a cache hit
        highlighter.request("plain", "", false);                 // no definition
        QCOMPARE(done.size(), 0);
        QTRY_COMPARE(done.size(), 2);
    }

    void cacheHitStartsNoProcess() {
        CodeHighlighter highlighter;
        const QString first = highlightNow(highlighter, "print('cached')", "python");
        QCOMPARE(highlighter.processesStarted(), 1);
        const QString second = highlightNow(highlighter, "print('cached')", "py");
        QCOMPARE(highlighter.processesStarted(), 1);
        QCOMPARE(second, first);
        highlightNow(highlighter, "print('cached')", "python", true); // another theme is another entry
        QCOMPARE(highlighter.processesStarted(), 2);
    }

    void sameBlockTwiceSharesOneProcess() {
        CodeHighlighter highlighter;
        highlightNow(highlighter, "", "python"); // reads the definitions
        QSignalSpy done(&highlighter, &CodeHighlighter::highlighted);
        const quint64 a = highlighter.request("x = [1, 2]", "python", false);
        const quint64 b = highlighter.request("x = [1, 2]", "python", false);
        QCOMPARE(answerFor(done, a), answerFor(done, b));
        QCOMPARE(highlighter.processesStarted(), 1);
    }

    void missingToolGivesPlainText() {
        CodeHighlighter highlighter(QStringLiteral("/nonexistent/kate-syntax-highlighter"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("code is shown without colours.*could not start"));
        QTest::failOnWarning(QRegularExpression("code is shown without colours")); // only once
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(highlightNow(highlighter, "print(1) < 2", "python"), QString("<pre>print(1) &lt; 2</pre>"));
        QCOMPARE(highlightNow(highlighter, "print(2)", "python"), QString("<pre>print(2)</pre>"));
        QVERIFY(timer.elapsed() < 2000);
        QVERIFY(highlighter.definitionsLoaded());
        QCOMPARE(highlighter.processesStarted(), 0);
    }

    void failingToolGivesPlainText() {
        QTemporaryDir dir;
        CodeHighlighter highlighter(fakeTool(dir, "echo 'broken theme' >&2; exit 3"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("code is shown without colours: highlighting failed: broken theme"));
        QCOMPARE(highlightNow(highlighter, "a & b", "python"), QString("<pre>a &amp; b</pre>"));
        QCOMPARE(highlighter.processesStarted(), 1);
        // A failure is not cached: the next request tries again.
        QCOMPARE(highlightNow(highlighter, "a & b", "python"), QString("<pre>a &amp; b</pre>"));
        QCOMPARE(highlighter.processesStarted(), 2);
    }

    void hungToolIsKilled() {
        QTemporaryDir dir;
        CodeHighlighter highlighter(fakeTool(dir, "exec sleep 60"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("code is shown without colours"));
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(highlightNow(highlighter, "x", "python", false), QString("<pre>x</pre>"));
        // The kill timer is a coarse one (it may fire up to 5% early).
        QVERIFY2(timer.elapsed() >= CodeHighlighter::kTimeoutMs * 94 / 100, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(timer.elapsed() < CodeHighlighter::kTimeoutMs + 3000);
    }

    void appendedTextFollowsTheColours() {
        QCOMPARE(appendPlainText("<pre style=\"color:#000000\"><span style=\"color:#f00;\">x</span></pre>", " < y"),
                 QString("<pre style=\"color:#000000\"><span style=\"color:#f00;\">x</span> &lt; y</pre>"));
        QCOMPARE(appendPlainText(plainCodeHtml("a"), "\nb&"), QString("<pre>a\nb&amp;</pre>"));
    }
};

QTEST_GUILESS_MAIN(TestCodeHighlighter)
#include "tst_code_highlighter.moc"
