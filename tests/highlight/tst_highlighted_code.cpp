// The QML element HighlightedCode: plain text at once, colours soon after, and while the code grows
// (an answer streaming) at most one highlight per 150 ms with the coloured part kept on screen.
#include "app/highlight/CodeHighlighter.h"
#include "app/highlight/HighlightedCode.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QtTest>

using namespace lucent::app;

namespace {
QString shownText(QString html) {
    static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
    html.remove(tag);
    html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    return html;
}
} // namespace

class TestHighlightedCode : public QObject {
    Q_OBJECT
private slots:
    void plainAtOnceThenColoured() {
        HighlightedCode element;
        element.setCode("x = '<1>'");
        element.setLanguage("python");
        QCOMPARE(element.html(), QString("<pre>x = '&lt;1&gt;'</pre>"));
        QVERIFY(!element.isHighlighted());
        QTRY_VERIFY_WITH_TIMEOUT(element.isHighlighted(), 10000);
        QVERIFY(element.html().contains("<span style="));
        QCOMPARE(shownText(element.html()), element.code());
    }

    void themeChangeHighlightsAgain() {
        HighlightedCode element;
        element.setLanguage("cpp");
        element.setCode("int main() { return 0; } // theme");
        QTRY_VERIFY_WITH_TIMEOUT(element.isHighlighted(), 10000);
        const QString light = element.html();
        element.setDark(true);
        QVERIFY(!element.isHighlighted());
        QCOMPARE(element.html(), QString("<pre>int main() { return 0; } // theme</pre>")); // old colours would clash
        QTRY_VERIFY_WITH_TIMEOUT(element.isHighlighted(), 10000);
        QVERIFY(element.html() != light);
    }

    // 60 pieces 20 ms apart (1.2 s, faster than the throttle): a handful of highlights, not one per
    // piece and not none until the end; once coloured, the block never goes back to all-plain.
    void streamingIsThrottledAndKeepsItsColours() {
        HighlightedCode element;
        element.setLanguage("python");
        const int before = CodeHighlighter::instance().processesStarted();
        bool coloured = false;
        int plainAfterColoured = 0;
        QElapsedTimer streaming;
        streaming.start();
        for (int i = 0; i < 60; ++i) {
            element.setCode(element.code() + QStringLiteral("v%1 = %1  # streamed\n").arg(i).left(5 + i % 7));
            QCOMPARE(shownText(element.html()), element.code());
            const bool hasSpans = element.html().contains("<span");
            if (coloured && !hasSpans) ++plainAfterColoured;
            coloured = coloured || hasSpans;
            QTest::qWait(20);
        }
        const int duringStream = CodeHighlighter::instance().processesStarted() - before;
        const qint64 elapsed = streaming.elapsed();
        qInfo("%d highlights while 60 pieces streamed over %lld ms", duringStream, elapsed);
        QVERIFY(coloured);
        QCOMPARE(plainAfterColoured, 0);
        QVERIFY2(duringStream >= 2 && duringStream <= 1 + elapsed / HighlightedCode::kThrottleMs, qPrintable(QString::number(duringStream)));
        QTRY_VERIFY_WITH_TIMEOUT(element.isHighlighted(), 10000);
        QCOMPARE(shownText(element.html()), element.code());
    }

    void unknownLanguageEndsHighlightedAsPlain() {
        HighlightedCode element;
        element.setCode("<tag> & stuff");
        QTRY_VERIFY_WITH_TIMEOUT(element.isHighlighted(), 10000);
        QCOMPARE(element.html(), QString("<pre>&lt;tag&gt; &amp; stuff</pre>"));
    }
};

QTEST_GUILESS_MAIN(TestHighlightedCode)
#include "tst_highlighted_code.moc"
