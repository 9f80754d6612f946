// Answers' Markdown as blocks: what each construct becomes, escaping, code blocks split out, an
// unterminated fence while streaming, prefix stability, and minimal row updates of the list model.
#include "app/markdown/MarkdownBlockModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace lucent::app;
using Kind = MarkdownBlock::Kind;

class TestMarkdownBlocks : public QObject {
    Q_OBJECT
private slots:
    void prose_data() {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QString>("contains");
        QTest::newRow("heading") << "## Title" << "<h2>Title</h2>";
        QTest::newRow("emphasis") << "*a* **b** ~~c~~" << "<i>a</i> <b>b</b> <s>c</s>";
        QTest::newRow("inline code") << "use `x < 1`" << "x &lt; 1";
        QTest::newRow("link") << "[Lucent](https://example.org/a?b=1&c=2)" << "<a href=\"https://example.org/a?b=1&amp;c=2\"";
        QTest::newRow("autolink") << "see https://example.org now" << "<a href=\"https://example.org\"";
        QTest::newRow("bullets") << "- one\n- two" << "<ul><li>one</li><li>two</li></ul>";
        QTest::newRow("numbers") << "3. three\n4. four" << "<ol start=\"3\"><li>three</li><li>four</li></ol>";
        QTest::newRow("tasks") << "- [x] done\n- [ ] todo" << "<li>☑ done</li><li>☐ todo</li>";
        QTest::newRow("quote") << "> wise words" << "<blockquote";
        QTest::newRow("table") << "| a | b |\n|---|--:|\n| 1 | 2 |" << "<td align=\"right\">2</td>";
        QTest::newRow("raw html is text") << "<script>alert(1)</script> and <b>x</b>" << "&lt;script&gt;alert(1)&lt;/script&gt;";
        QTest::newRow("image not loaded") << "![a cat](https://example.org/cat.png)" << "[a cat]";
        QTest::newRow("entity shown as written") << "AT&amp;T" << "AT&amp;amp;T";
        QTest::newRow("CJK and RTL intact") << "你好，世界 — مرحبا بالعالم" << "你好，世界 — مرحبا بالعالم";
        QTest::newRow("hard break") << "a  \nb" << "a<br/>b";
    }
    void prose() {
        QFETCH(QString, markdown);
        QFETCH(QString, contains);
        const auto blocks = parseMarkdownBlocks(markdown);
        QCOMPARE(blocks.size(), 1);
        QCOMPARE(blocks[0].kind, Kind::Prose);
        QVERIFY2(blocks[0].html.contains(contains), qPrintable(blocks[0].html));
        QVERIFY(!blocks[0].html.contains("<img"));
        QVERIFY(!blocks[0].html.contains("<script"));
    }

    void codeBlocksAreSeparate() {
        const auto blocks = parseMarkdownBlocks("Intro:\n\n```python\nprint('<hi>')\n```\n\n    indented code\n\nOutro.");
        QCOMPARE(blocks.size(), 4);
        QCOMPARE(blocks[0].kind, Kind::Prose);
        QCOMPARE(blocks[1].kind, Kind::Code);
        QCOMPARE(blocks[1].language, QString("python"));
        QCOMPARE(blocks[1].code, QString("print('<hi>')")); // verbatim, not escaped
        QCOMPARE(blocks[2].kind, Kind::Code);
        QCOMPARE(blocks[2].language, QString());
        QCOMPARE(blocks[2].code, QString("indented code"));
        QVERIFY(blocks[3].html.contains("Outro."));
    }

    void codeInsideAListStaysInTheList() {
        const auto blocks = parseMarkdownBlocks("1. Run:\n\n   ```sh\n   make\n   ```\n2. Done");
        QCOMPARE(blocks.size(), 1);
        QVERIFY(blocks[0].html.contains("<pre>make\n</pre>"));
    }

    void unterminatedFenceWhileStreaming() {
        const auto blocks = parseMarkdownBlocks("Here:\n```cpp\nint main() {\n    return 0;");
        QCOMPARE(blocks.size(), 2);
        QCOMPARE(blocks[1].kind, Kind::Code);
        QCOMPARE(blocks[1].code, QString("int main() {\n    return 0;"));
    }

    // Every prefix of a streamed answer: the blocks before the last are already final (except where
    // a later line changes what an earlier one is — a table's delimiter row, a setext underline).
    void streamingPrefixesAreStable() {
        const QString answer = QStringLiteral(
            "# Plan\n\nFirst, a paragraph with **bold** text.\n\n- item one\n- item two\n\n```js\nconsole.log(1);\n```\n\n"
            "Then a closing paragraph that goes on for a while, 你好.\n");
        const auto final = parseMarkdownBlocks(answer);
        QCOMPARE(final.size(), 5);
        for (qsizetype n = 1; n <= answer.size(); ++n) {
            const auto blocks = parseMarkdownBlocks(answer.left(n));
            for (qsizetype i = 0; i + 1 < blocks.size(); ++i) {
                if (blocks[i] == final[i]) continue;
                // A list or paragraph can still be growing when the next block has not started yet.
                QVERIFY2(i + 2 >= blocks.size(), qPrintable(QString("prefix %1, block %2").arg(n).arg(i)));
            }
        }
    }

    void modelUpdatesOnlyWhatChanged() {
        MarkdownBlockModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setMarkdown("Hello");
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(inserted.size(), 1);
        model.setMarkdown("Hello world");
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed[0][0].toModelIndex().row(), 0);
        model.setMarkdown("Hello world\n\n```py\nx = 1");
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(changed.size(), 1); // the first block did not change
        model.setMarkdown("Hello world\n\n```py\nx = 1\ny = 2");
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed[1][0].toModelIndex().row(), 1);
        QCOMPARE(model.data(model.index(1), MarkdownBlockModel::CodeRole).toString(), QString("x = 1\ny = 2"));
        QCOMPARE(model.data(model.index(1), MarkdownBlockModel::KindRole).toString(), QString("code"));
        model.setMarkdown("Hello");
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(reset.size(), 0);
        model.setDark(true); // colours of links and inline code change; the rows stay
        QCOMPARE(model.rowCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestMarkdownBlocks)
#include "tst_markdown_blocks.moc"
