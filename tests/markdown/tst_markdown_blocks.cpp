// Answers' Markdown as blocks: what each construct becomes, escaping (nothing in an answer becomes
// markup of its own), references, code blocks split out, fences while streaming, prefix stability,
// and the parse cost of a long answer.
#include "app/markdown/MarkdownBlocks.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QtTest>

using namespace lucent::app;
using Kind = MarkdownBlock::Kind;

namespace {

// Every tag the renderer may write; anything else in the HTML came from the answer.
bool onlyOurTags(const QString& html, QString* stray) {
    static const QRegularExpression tag(QStringLiteral("<(/?)([a-zA-Z0-9]+)"));
    static const QStringList allowed = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
                                        "code", "table", "tr", "th", "td", "a", "i", "b", "s", "u", "br", "hr"};
    for (auto it = tag.globalMatch(html); it.hasNext();) {
        const QString name = it.next().captured(2);
        if (!allowed.contains(name)) {
            *stray = name;
            return false;
        }
    }
    return true;
}

// A long answer such as a reasoning model writes: every kind of block, CJK and RTL text.
QString longAnswer() {
    return QStringLiteral(
        "# Plan\n\n"
        "First, a paragraph with **bold**, *italic*, ~~struck~~ and `inline < code` text, plus a link to "
        "[the docs](https://example.org/docs?a=1&b=2).\n"
        "It continues on a second line.\n\n"
        "## Steps\n\n"
        "1. Install the tools:\n"
        "   - `cmake`\n"
        "   - `ninja`\n"
        "2. Build it.\n\n"
        "- [x] done\n- [ ] todo\n\n"
        "> A quote that is wise,\n> over two lines.\n\n"
        "| Name | Size | Note |\n|:-----|-----:|:----:|\n| 模型 | 7 B | 你好 |\n| نموذج | 14 B | مرحبا |\n\n"
        "```python\ndef f(x):\n    return x < 2 and '<b>'\n```\n\n"
        "Some text between the code blocks, with an entity: AT&amp;T &copy; 2025.\n\n"
        "~~~\nplain tilde fence\n```\nstill inside\n~~~\n\n"
        "    indented code\n    second line\n\n"
        "---\n\n"
        "Finally, 结论 and النتيجة: done.\n");
}

} // namespace

class TestMarkdownBlocks : public QObject {
    Q_OBJECT
private slots:
    void prose_data() {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QString>("contains");
        QTest::newRow("heading 1") << "# Title" << "<h1>Title</h1>";
        QTest::newRow("heading 2") << "## Title" << "<h2>Title</h2>";
        QTest::newRow("setext heading") << "Title\n=====" << "<h1>Title</h1>";
        QTest::newRow("paragraph") << "one\ntwo" << "<p>one two</p>";
        QTest::newRow("emphasis") << "*a* **b** ~~c~~" << "<i>a</i> <b>b</b> <s>c</s>";
        QTest::newRow("inline code") << "use `x < 1 && y`" << "x &lt; 1 &amp;&amp; y";
        QTest::newRow("link") << "[Lucent](https://example.org/a?b=1&c=2)" << "<a href=\"https://example.org/a?b=1&amp;c=2\"";
        QTest::newRow("link colour") << "[x](https://example.org)" << "style=\"color:#2f5fe0\">x</a>";
        QTest::newRow("link reference in target") << "[x](https://e.org/?a=1&amp;b=2)" << "href=\"https://e.org/?a=1&amp;b=2\"";
        QTest::newRow("link quote escaped") << "[x](<https://e.org/\"onclick=\"y>)" << "href=\"https://e.org/&quot;onclick=&quot;y\"";
        QTest::newRow("autolink") << "see https://example.org now" << "<a href=\"https://example.org\"";
        QTest::newRow("www autolink") << "see www.example.org now" << "<a href=\"http://www.example.org\"";
        QTest::newRow("mail autolink") << "write a@b.org" << "<a href=\"mailto:a@b.org\"";
        QTest::newRow("javascript link is text") << "[click](javascript:alert(1))" << "<p>click</p>";
        QTest::newRow("relative link is text") << "[notes](notes.md)" << "<p>notes</p>";
        QTest::newRow("bullets") << "- one\n- two" << "<ul><li>one</li><li>two</li></ul>";
        QTest::newRow("numbers") << "3. three\n4. four" << "<ol start=\"3\"><li>three</li><li>four</li></ol>";
        QTest::newRow("nested list") << "- a\n  - b\n    - c\n- d" << "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>";
        QTest::newRow("loose list") << "- a\n\n- b" << "<ul><li><p>a</p></li><li><p>b</p></li></ul>";
        QTest::newRow("tasks") << "- [x] done\n- [ ] todo" << "<li>☑ done</li><li>☐ todo</li>";
        QTest::newRow("quote") << "> wise words" << "<blockquote style=\"color:#6a6f78\"><p>wise words</p></blockquote>";
        QTest::newRow("table") << "| a | b |\n|---|--:|\n| 1 | 2 |" << "<tr><th>a</th><th align=\"right\">b</th></tr><tr><td>1</td><td align=\"right\">2</td></tr>";
        QTest::newRow("table cell code with pipe") << "| a |\n|---|\n| `x\\|y` |" << "&#8202;x|y&#8202;";
        QTest::newRow("rule") << "---" << "<hr/>";
        QTest::newRow("hard break") << "a  \nb" << "a<br/>b";
        QTest::newRow("backslash escape") << "\\*not em\\*" << "<p>*not em*</p>";
        QTest::newRow("script is text") << "<script>alert(1)</script> and <b>x</b>" << "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;b&gt;x&lt;/b&gt;";
        QTest::newRow("html block is text") << "<div onclick=\"x\">\nhi\n</div>" << "&lt;div onclick=&quot;x&quot;&gt;";
        QTest::newRow("img tag is text") << "<img src=x onerror=alert(1)>" << "&lt;img src=x onerror=alert(1)&gt;";
        QTest::newRow("comment is text") << "a <!-- hidden --> b" << "a &lt;!-- hidden --&gt; b";
        QTest::newRow("image not loaded") << "![a cat](https://example.org/cat.png)" << "[a cat]";
        QTest::newRow("named reference") << "AT&amp;T &copy; &rarr;" << "AT&amp;T © →";
        QTest::newRow("reference to markup") << "&lt;b&gt;" << "&lt;b&gt;";
        QTest::newRow("numeric references") << "&#x263A; &#9731; &#0;" << "☺ ☃ \uFFFD";
        QTest::newRow("unknown reference as written") << "&nosuchname;" << "&amp;nosuchname;";
        QTest::newRow("CJK and RTL intact") << "你好，世界 — مرحبا بالعالم — שלום" << "你好，世界 — مرحبا بالعالم — שלום";
        QTest::newRow("emoji intact") << "ok 👍🏽 done" << "ok 👍🏽 done";
        QTest::newRow("inline code colour") << "`x`" << "<code style=\"background-color:#eef0f3\">";
    }
    void prose() {
        QFETCH(QString, markdown);
        QFETCH(QString, contains);
        const auto blocks = parseMarkdownBlocks(markdown);
        QCOMPARE(blocks.size(), 1);
        QCOMPARE(blocks[0].kind, Kind::Prose);
        QVERIFY2(blocks[0].html.contains(contains), qPrintable(blocks[0].html));
        QString stray;
        QVERIFY2(onlyOurTags(blocks[0].html, &stray), qPrintable(stray + " in " + blocks[0].html));
    }

    void darkPaletteColours() {
        MarkdownPalette dark;
        dark.link = QColor(0x7a, 0xa2, 0xff);
        dark.inlineCodeBackground = QColor(0x2b, 0x2d, 0x31);
        const auto blocks = parseMarkdownBlocks("[x](https://e.org) `y`", dark);
        QVERIFY2(blocks[0].html.contains("color:#7aa2ff") && blocks[0].html.contains("background-color:#2b2d31"), qPrintable(blocks[0].html));
    }

    void codeBlocksAreSeparate() {
        const auto blocks = parseMarkdownBlocks("Intro:\n\n```python\nprint('<hi>') # 你好 مرحبا\n```\n\n    indented code\n\nOutro.");
        QCOMPARE(blocks.size(), 4);
        QVERIFY(blocks[0].html.contains("Intro:"));
        QCOMPARE(blocks[1].kind, Kind::Code);
        QCOMPARE(blocks[1].language, QString("python"));
        QCOMPARE(blocks[1].code, QString("print('<hi>') # 你好 مرحبا")); // verbatim, not escaped
        QVERIFY(blocks[1].html.isEmpty());
        QCOMPARE(blocks[2].kind, Kind::Code);
        QCOMPARE(blocks[2].language, QString());
        QCOMPARE(blocks[2].code, QString("indented code"));
        QVERIFY(blocks[3].html.contains("Outro."));
    }

    void fences_data() {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("code");
        QTest::newRow("language") << "```rust\nfn main() {}\n```" << "rust" << "fn main() {}";
        QTest::newRow("no language") << "```\nls -l\n```" << "" << "ls -l";
        QTest::newRow("info after the language") << "```python title=\"a.py\"\nx\n```" << "python" << "x";
        QTest::newRow("tilde fence") << "~~~c++\nint x;\n~~~" << "c++" << "int x;";
        QTest::newRow("longer fence holds a shorter one") << "````md\n```\ninner\n```\n````" << "md" << "```\ninner\n```";
        QTest::newRow("blank lines kept") << "```\na\n\n\nb\n```" << "" << "a\n\n\nb";
        QTest::newRow("tabs and spaces kept") << "```\n\tx  \n```" << "" << "\tx  ";
        QTest::newRow("makefile tabs kept") << "```make\nall:\n\tcc x.c\n\t\tmore\n```" << "make" << "all:\n\tcc x.c\n\t\tmore";
        QTest::newRow("tab after the fence's indentation") << "  ```\n  \tx\n    y\n  ```" << "" << "\tx\n  y";
        QTest::newRow("tab across the fence's indentation") << " ```\n\t x\n ```" << "" << "    x";
        QTest::newRow("tabs in an unterminated fence") << "```go\nfunc f() {\n\treturn" << "go" << "func f() {\n\treturn";
        QTest::newRow("CRLF line ends") << "```sh\r\na\r\nb\r\n```\r\n" << "sh" << "a\nb";
        QTest::newRow("empty") << "```\n```" << "" << "";
        QTest::newRow("unterminated") << "```cpp\nint main() {\n    return 0;" << "cpp" << "int main() {\n    return 0;";
        QTest::newRow("unterminated, newline") << "```cpp\nint x;\n" << "cpp" << "int x;";
        QTest::newRow("closing fence arriving: 1") << "```py\nx = 1\n`" << "py" << "x = 1";
        QTest::newRow("closing fence arriving: 2") << "```py\nx = 1\n``" << "py" << "x = 1";
        QTest::newRow("closing fence arriving, tilde") << "~~~\nx\n~~" << "" << "x";
        QTest::newRow("backticks in a tilde block stay") << "~~~\nx\n``" << "" << "x\n``";
        QTest::newRow("closed block ending in backticks") << "```\n``\n```" << "" << "``";
        QTest::newRow("only a fence so far") << "```" << "" << "";
        QTest::newRow("language still arriving") << "```pyt" << "pyt" << "";
        QTest::newRow("reference in language") << "```c&#43;&#43;\nx\n```" << "c++" << "x";
    }
    void fences() {
        QFETCH(QString, markdown);
        QFETCH(QString, language);
        QFETCH(QString, code);
        const auto blocks = parseMarkdownBlocks(markdown);
        QCOMPARE(blocks.size(), 1);
        QCOMPARE(blocks[0].kind, Kind::Code);
        QCOMPARE(blocks[0].language, language);
        QCOMPARE(blocks[0].code, code);
    }

    void codeInsideAListStaysInTheList() {
        const auto blocks = parseMarkdownBlocks("1. Run:\n\n   ```sh\n   make <all>\n   ```\n2. Done");
        QCOMPARE(blocks.size(), 1);
        QVERIFY2(blocks[0].html.contains("<pre>make &lt;all&gt;\n</pre>"), qPrintable(blocks[0].html));
    }

    void unterminatedFenceWhileStreaming() {
        const auto blocks = parseMarkdownBlocks("Here:\n```cpp\nint main() {\n    return 0;");
        QCOMPARE(blocks.size(), 2);
        QCOMPARE(blocks[0].kind, Kind::Prose);
        QCOMPARE(blocks[1].kind, Kind::Code);
        QCOMPARE(blocks[1].code, QString("int main() {\n    return 0;"));
    }

    void longAnswerBlocks() {
        const auto blocks = parseMarkdownBlocks(longAnswer());
        QStringList kinds;
        for (const auto& b : blocks) kinds << (b.kind == Kind::Code ? "code" : "prose");
        QCOMPARE(kinds.join(' '), QString("prose prose prose prose prose prose prose code prose code code prose prose"));
        QVERIFY(blocks[6].html.contains("<td align=\"left\">模型</td>") && blocks[6].html.contains("مرحبا"));
        QCOMPARE(blocks[9].code, QString("plain tilde fence\n```\nstill inside"));
        QVERIFY(blocks[12].html.contains("结论 and النتيجة"));
    }

    // Every prefix of a streamed answer, one character more each time: all blocks but the last are
    // already exactly what the whole answer gives, so the view never rebuilds an earlier block.
    void streamingPrefixesAreStable() {
        const QString answer = longAnswer();
        const auto final = parseMarkdownBlocks(answer);
        for (qsizetype n = 1; n <= answer.size(); ++n) {
            const auto blocks = parseMarkdownBlocks(answer.left(n));
            QVERIFY2(blocks.size() <= final.size(), qPrintable(QString("prefix %1").arg(n)));
            for (qsizetype i = 0; i + 1 < blocks.size(); ++i)
                QVERIFY2(blocks[i] == final[i], qPrintable(QString("prefix %1, block %2: %3%4").arg(n).arg(i).arg(blocks[i].html, blocks[i].code)));
            // The block still arriving only grows: code never shows a fence's backticks on the way.
            const auto& last = blocks.last();
            if (last.kind == Kind::Code && final[blocks.size() - 1].kind == Kind::Code)
                QVERIFY2(final[blocks.size() - 1].code.startsWith(last.code), qPrintable(QString("prefix %1: %2").arg(n).arg(last.code)));
        }
    }

    // Parsing is redone on every token, so it must stay far below a frame even for long answers.
    void parseCost() {
        const QString answer = longAnswer().repeated(30); // ~30 KB
        QElapsedTimer timer;
        timer.start();
        int parses = 0;
        while (timer.elapsed() < 300) {
            QCOMPARE(parseMarkdownBlocks(answer).size(), 30 * 13);
            ++parses;
        }
        const double perParse = double(timer.elapsed()) / parses;
        qInfo("parsing a %lld-character answer: %.2f ms", answer.size(), perParse);
        QVERIFY2(perParse < 16, "a parse must fit in a frame");
    }
};

QTEST_GUILESS_MAIN(TestMarkdownBlocks)
#include "tst_markdown_blocks.moc"
