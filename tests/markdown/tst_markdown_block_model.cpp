// MarkdownBlockModel, the list model the chat view's Repeater uses: a consistent model (Qt's model
// tester), and while an answer streams only its last rows change; earlier rows are never touched.
#include "app/markdown/MarkdownBlockModel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QtTest>

using namespace lucent::app;

class TestMarkdownBlockModel : public QObject {
    Q_OBJECT
private slots:
    void rolesAndNames() {
        MarkdownBlockModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMarkdown("Hi *there*\n\n```py\nx = 1\n```");
        QCOMPARE(model.rowCount(), 2);
        const auto names = model.roleNames();
        QCOMPARE(names.value(MarkdownBlockModel::KindRole), QByteArray("kind"));
        QCOMPARE(names.value(MarkdownBlockModel::HtmlRole), QByteArray("html"));
        QCOMPARE(names.value(MarkdownBlockModel::CodeRole), QByteArray("code"));
        QCOMPARE(names.value(MarkdownBlockModel::LanguageRole), QByteArray("language"));
        QCOMPARE(model.data(model.index(0), MarkdownBlockModel::KindRole).toString(), QString("prose"));
        QCOMPARE(model.data(model.index(0), MarkdownBlockModel::HtmlRole).toString(), QString("<p>Hi <i>there</i></p>"));
        QCOMPARE(model.data(model.index(1), MarkdownBlockModel::KindRole).toString(), QString("code"));
        QCOMPARE(model.data(model.index(1), MarkdownBlockModel::CodeRole).toString(), QString("x = 1"));
        QCOMPARE(model.data(model.index(1), MarkdownBlockModel::LanguageRole).toString(), QString("py"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("is not valid"));
        QVERIFY(!model.data(model.index(2), MarkdownBlockModel::KindRole).isValid());
    }

    void modelUpdatesOnlyWhatChanged() {
        MarkdownBlockModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy markdownChanged(&model, &MarkdownBlockModel::markdownChanged);
        model.setMarkdown("Hello");
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(inserted.size(), 1);
        model.setMarkdown("Hello"); // the same text: nothing
        QCOMPARE(markdownChanged.size(), 1);
        model.setMarkdown("Hello world");
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed[0][0].toModelIndex().row(), 0);
        QVERIFY(changed[0][2].value<QList<int>>().contains(MarkdownBlockModel::HtmlRole));
        model.setMarkdown("Hello world\n\n```py\nx = 1");
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(changed.size(), 1); // the first block did not change
        model.setMarkdown("Hello world\n\n```py\nx = 1\ny = 2");
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed[1][0].toModelIndex().row(), 1);
        QCOMPARE(changed[1][2].value<QList<int>>(), QList<int>{MarkdownBlockModel::CodeRole});
        QCOMPARE(model.data(model.index(1), MarkdownBlockModel::CodeRole).toString(), QString("x = 1\ny = 2"));
        model.setMarkdown("Hello");
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(reset.size(), 0);
    }

    void kindChangeReplacesTheRow() {
        MarkdownBlockModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMarkdown("Intro\n\n``");
        QCOMPARE(model.data(model.index(1), MarkdownBlockModel::KindRole).toString(), QString("prose"));
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.setMarkdown("Intro\n\n```"); // the paragraph "``" became a code block: a new delegate
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed[0][1].toInt(), 1);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(model.data(model.index(1), MarkdownBlockModel::KindRole).toString(), QString("code"));
    }

    void darkChangesColoursInPlace() {
        MarkdownBlockModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMarkdown("[a](https://e.org)\n\n```\ncode\n```\n\n`b`");
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.setDark(true);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(changed.size(), 2); // the two prose rows; the code row has no colours of its own
        QVERIFY(model.data(model.index(0), MarkdownBlockModel::HtmlRole).toString().contains("#7aa2ff"));
    }

    // An answer streamed a few characters at a time: every update touches only the rows from the
    // previous last one on (the block that was growing), never an earlier row.
    void streamingTouchesOnlyTheTail() {
        const QString answer = QStringLiteral(
            "# Title\n\nA paragraph, **bold**, 你好.\n\n- one\n- two\n  - nested\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "```js\nconsole.log('<x>');\n```\n\n> quoted مرحبا\n\n~~~\nmore\n~~~\n\nThe end.\n\n").repeated(10);
        MarkdownBlockModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        int firstTouched = 0;
        connect(&model, &QAbstractItemModel::dataChanged, this, [&](const QModelIndex& from) { firstTouched = std::min(firstTouched, from.row()); });
        connect(&model, &QAbstractItemModel::rowsRemoved, this, [&](const QModelIndex&, int from) { firstTouched = std::min(firstTouched, from); });
        QElapsedTimer timer;
        timer.start();
        int updates = 0;
        for (qsizetype n = 1; n <= answer.size(); n += 3, ++updates) {
            const int lastRow = std::max(0, model.rowCount() - 1);
            firstTouched = lastRow;
            model.setMarkdown(answer.left(n));
            QVERIFY2(firstTouched >= lastRow, qPrintable(QString("at %1 characters row %2 changed, last was %3").arg(n).arg(firstTouched).arg(lastRow)));
        }
        model.setMarkdown(answer);
        qInfo("%d streaming updates of a %lld-character answer: %.3f ms each", updates, answer.size(), double(timer.nsecsElapsed()) / 1e6 / updates);
        QCOMPARE(model.rowCount(), int(parseMarkdownBlocks(answer).size()));
    }
};

QTEST_GUILESS_MAIN(TestMarkdownBlockModel)
#include "tst_markdown_block_model.moc"
