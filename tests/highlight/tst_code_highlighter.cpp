// Code highlighting through KDE's command-line renderer: coloured spans for real languages, fence
// aliases, escaped plain text for unknown languages, the cache, and a missing tool (plain text, no
// crash, no hang). Prints the measured latency of one highlight.
#include "app/highlight/CodeHighlighter.h"
#include "app/highlight/HighlightedCode.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

using namespace lucent::app;

namespace {
QString highlightNow(CodeHighlighter& highlighter, const QString& code, const QString& language, bool dark = false) {
    QSignalSpy done(&highlighter, &CodeHighlighter::highlighted);
    const quint64 id = highlighter.request(code, language, dark);
    for (int waited = 0; waited < 100; ++waited) {
        for (const auto& args : done)
            if (args[0].toULongLong() == id) return args[1].toString();
        done.wait(100);
    }
    return "TIMEOUT";
}
} // namespace

class TestCodeHighlighter : public QObject {
    Q_OBJECT
private slots:
    void realLanguagesGetColours_data() {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("code");
        QTest::newRow("python") << "python" << "def f(x):\n    return x  # note";
        QTest::newRow("py alias") << "py" << "import os";
        QTest::newRow("c++") << "cpp" << "#include <vector>\nint main() { return 0; }";
        QTest::newRow("rust") << "rs" << "fn main() { let x = 1; }";
        QTest::newRow("bash") << "sh" << "for f in *.gguf; do echo \"$f\"; done";
    }
    void realLanguagesGetColours() {
        QFETCH(QString, language);
        QFETCH(QString, code);
        CodeHighlighter highlighter;
        QVERIFY2(!highlighter.definitionFor(language).isEmpty(), "is libkf5syntaxhighlighting-tools installed?");
        QElapsedTimer timer;
        timer.start();
        const QString html = highlightNow(highlighter, code, language);
        qInfo("%s highlighted in %lld ms", qPrintable(language), timer.elapsed());
        QVERIFY2(html.startsWith("<pre") && html.endsWith("</pre>"), qPrintable(html));
        QVERIFY2(html.contains("<span style="), qPrintable(html));
        QVERIFY(!html.contains("<html"));
        QVERIFY(!html.contains("&lt;span"));
    }

    void darkThemeDiffers() {
        CodeHighlighter highlighter;
        QVERIFY(highlightNow(highlighter, "x = 1", "python", false) != highlightNow(highlighter, "x = 1", "python", true));
    }

    void unknownLanguageIsEscapedPlainText() {
        CodeHighlighter highlighter;
        const QString html = highlightNow(highlighter, "<b>not markup</b> & more", "no-such-language");
        QCOMPARE(html, QString("<pre>&lt;b&gt;not markup&lt;/b&gt; &amp; more</pre>"));
        QCOMPARE(highlighter.processesStarted(), 0);
    }

    void cacheHitStartsNoProcess() {
        CodeHighlighter highlighter;
        const QString first = highlightNow(highlighter, "print('cached')", "python");
        QCOMPARE(highlighter.processesStarted(), 1);
        const QString second = highlightNow(highlighter, "print('cached')", "python");
        QCOMPARE(highlighter.processesStarted(), 1);
        QCOMPARE(second, first);
    }

    void missingToolGivesPlainText() {
        CodeHighlighter highlighter(QStringLiteral("/nonexistent/kate-syntax-highlighter"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("code is shown without colours"));
        QElapsedTimer timer;
        timer.start();
        const QString html = highlightNow(highlighter, "print(1)", "python");
        QCOMPARE(html, QString("<pre>print(1)</pre>"));
        QVERIFY(timer.elapsed() < 5000);
    }

    // The QML element: plain text at once, colours once the code stops changing.
    void elementDebouncesWhileStreaming() {
        HighlightedCode element;
        QSignalSpy changed(&element, &HighlightedCode::htmlChanged);
        element.setLanguage("python");
        for (const char* piece : {"def ", "f(x)", ":\n    ", "return x"}) {
            element.setCode(element.code() + piece);
            QVERIFY(!element.isHighlighted());
            QVERIFY(element.html().contains(element.code().toHtmlEscaped().left(3)));
            QTest::qWait(30); // faster than the debounce
        }
        QTRY_VERIFY_WITH_TIMEOUT(element.isHighlighted(), 5000);
        QVERIFY(element.html().contains("<span style="));
    }
};

QTEST_GUILESS_MAIN(TestCodeHighlighter)
#include "tst_code_highlighter.moc"
