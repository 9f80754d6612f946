// One reply through LoadedModel + generateReply on a tiny R1-distill-shaped model with the real
// vocabulary and chat template: prompt building, the reasoning split, prompt caching across turns,
// cancellation, and the errors a user can cause.
#include "TinyR1Model.h"
#include "inference/engine/ChatTurn.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace lucent;
using namespace lucent::testing;

namespace {
std::unique_ptr<LoadedModel> loadOrDie(const QString& path, uint32_t context, unsigned threads) {
    auto model = LoadedModel::load(path.toStdString(), {.contextLength = context, .threads = threads});
    if (!model) qFatal("%s", model.error().message.c_str());
    return std::move(model).value();
}
} // namespace

class TestChatTurn : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString r1Path_, rawPath_;

private slots:
    void initTestCase() {
        r1Path_ = dir_.filePath("r1.gguf");
        auto written = writeTinyR1Model(r1Path_.toStdString(), R1Template::Think);
        QVERIFY2(written, written ? "" : written.error().message.c_str());
        rawPath_ = dir_.filePath("raw.gguf");
        QVERIFY(writeTinyR1Model(rawPath_.toStdString(), R1Template::None).ok());
    }

    void loadsWhatTheAppShows() {
        auto model = LoadedModel::load(r1Path_.toStdString(), {.contextLength = 512, .threads = 2});
        QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
        QCOMPARE((*model)->summary().architecture, std::string("qwen2"));
        QVERIFY((*model)->chatTemplate().has_value());
        QCOMPARE((*model)->thinkingFormat(), ThinkingFormat::Think);
        QCOMPARE((*model)->recommendedSampling().temperature, 0.6f);
        QCOMPARE((*model)->backend().contextLength(), 512u);
    }

    // The R1 template ends the prompt with "<think>\n": the reply starts inside the reasoning, so
    // with no close marker everything generated is reasoning, and the split reassembles the text.
    void replyStartsInsideReasoning() {
        auto model = loadOrDie(r1Path_, 512, 2);
        auto prompt = buildChatPrompt(*model, {{"user", "Why is the sky blue?", std::nullopt}});
        QVERIFY(prompt.ok());
        QVERIFY(prompt->opensReasoning);
        QVERIFY(prompt->text.ends_with("<｜Assistant｜><think>\n"));
        const auto bos = *model->tokenizer().vocabulary().data().bos;
        QCOMPARE(prompt->tokens.front(), bos);
        QVERIFY(std::count(prompt->tokens.begin(), prompt->tokens.end(), bos) == 1); // the template wrote it; not added twice

        Session session(model->backend(), model->tokenizer().vocabulary().endOfGeneration());
        ReplyOptions options;
        options.sampling.greedy = true;
        options.maxTokens = 24;
        std::string streamedReasoning, streamedContent;
        auto reply = generateReply(*model, session, *prompt, options, [&](const ThinkingDelta& d) {
            streamedReasoning += d.reasoning;
            streamedContent += d.content;
            return true;
        });
        QVERIFY2(reply.ok(), reply.ok() ? "" : reply.error().message.c_str());
        QVERIFY(reply->tokens.size() <= 24u);
        QCOMPARE(streamedReasoning, reply->reasoning);
        QCOMPARE(streamedContent, reply->content);
        if (reply->text.find("</think>") == std::string::npos) {
            QVERIFY(reply->content.empty());
            QVERIFY(reply->reasoningUnterminated || reply->stop == StopReason::EndOfGeneration);
        }
        QCOMPARE(reply->text, model->tokenizer().detokenize(reply->tokens, true).substr(0, reply->text.size()));

        // Greedy is deterministic: the same prompt again gives the same tokens, from the cache.
        auto again = generateReply(*model, session, *prompt, options);
        QVERIFY(again.ok());
        QCOMPARE(again->tokens, reply->tokens);
        QVERIFY(again->reusedTokens >= int(prompt->tokens.size()) - 1);
    }

    // A follow-up turn evaluates only what the cache does not hold.
    void followUpTurnReusesTheCache() {
        auto model = loadOrDie(r1Path_, 512, 2);
        Session session(model->backend(), model->tokenizer().vocabulary().endOfGeneration());
        ReplyOptions options;
        options.sampling.greedy = true;
        options.maxTokens = 8;
        std::vector<ChatMessage> messages = {{"user", "Hello there", std::nullopt}};
        const auto firstPrompt = *buildChatPrompt(*model, messages);
        auto first = generateReply(*model, session, firstPrompt, options);
        QVERIFY(first.ok());
        messages.push_back({"assistant", first->content, first->reasoning});
        messages.push_back({"user", "And then?", std::nullopt});
        auto prompt = buildChatPrompt(*model, messages);
        auto second = generateReply(*model, session, *prompt, options);
        QVERIFY(second.ok());
        // R1's template drops old reasoning, so the new prompt leaves the cache where the first reply
        // began; everything before that point is reused, not evaluated again.
        std::vector<int32_t> cached = firstPrompt.tokens;
        cached.insert(cached.end(), first->tokens.begin(), first->tokens.end());
        size_t common = 0;
        while (common < cached.size() && common < prompt->tokens.size() && cached[common] == prompt->tokens[common]) ++common;
        QVERIFY(common >= 5);
        QCOMPARE(second->reusedTokens, int(std::min(common, prompt->tokens.size() - 1)));
        QCOMPARE(second->reusedTokens + second->promptTokens, int(prompt->tokens.size()));
    }

    void cancelStopsWithinOneToken() {
        auto model = loadOrDie(r1Path_, 512, 2);
        Session session(model->backend(), model->tokenizer().vocabulary().endOfGeneration());
        std::atomic<bool> cancel{false};
        ReplyOptions options;
        options.maxTokens = 200;
        options.cancel = &cancel;
        int deltas = 0;
        auto reply = generateReply(*model, session, buildRawPrompt(*model, "Once upon a time"), options, [&](const ThinkingDelta&) {
            if (++deltas == 3) cancel = true;
            return true;
        });
        QVERIFY(reply.ok());
        QCOMPARE(reply->stop, StopReason::Cancelled);
        QCOMPARE(int(reply->tokens.size()), 3);
    }

    void errorsAreSentences() {
        auto missing = LoadedModel::load(dir_.filePath("nope.gguf").toStdString());
        QVERIFY(!missing.ok());
        auto raw = loadOrDie(rawPath_, 256, 1);
        auto prompt = buildChatPrompt(*raw, {{"user", "Hi", std::nullopt}});
        QVERIFY(!prompt.ok());
        QVERIFY2(prompt.error().message.find("has no chat template") != std::string::npos, prompt.error().message.c_str());
        Session session(raw->backend(), raw->tokenizer().vocabulary().endOfGeneration());
        ReplyOptions options;
        options.sampling.temperature = -3; // out of range
        options.sampling.topP = 7;
        auto reply = generateReply(*raw, session, buildRawPrompt(*raw, "x"), options);
        QVERIFY(!reply.ok());
        // A prompt longer than the context is refused unless truncation is asked for.
        ReplyOptions fine;
        fine.maxTokens = 4;
        std::string longText;
        for (int i = 0; i < 400; ++i) longText += "word ";
        auto tooLong = generateReply(*raw, session, buildRawPrompt(*raw, longText), fine);
        QVERIFY(!tooLong.ok());
        fine.truncatePrompt = true;
        auto truncated = generateReply(*raw, session, buildRawPrompt(*raw, longText), fine);
        QVERIFY2(truncated.ok(), truncated.ok() ? "" : truncated.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestChatTurn)
#include "tst_chat_turn.moc"
