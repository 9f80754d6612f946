// Session: prompt-prefix reuse, context overflow (error or truncation), and the generation loop's
// stops — end of generation, token limit, full context, cancellation within one token.
#include "ModelFixtures.h"
#include "inference/cpu/CpuModel.h"
#include "inference/model/Session.h"

#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <thread>

using namespace lucent;
using namespace lucent::testing;

namespace {

std::vector<int32_t> range(int32_t from, int32_t count) {
    std::vector<int32_t> tokens(static_cast<size_t>(count));
    for (int32_t i = 0; i < count; ++i) tokens[size_t(i)] = 3 + (from + i * 37) % 500;
    return tokens;
}

std::vector<int32_t> concat(std::vector<int32_t> a, const std::vector<int32_t>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

int32_t greedy(std::span<float> logits) { return int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin()); }

// Never picks EOS (2): generation runs until a limit.
int32_t greedyNoEos(std::span<float> logits) {
    logits[2] = -1e30f;
    return greedy(logits);
}

} // namespace

class TestSession : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path_;

    std::unique_ptr<CpuModel> load(uint32_t context) {
        auto model = CpuModel::open(path_, {context, 2, 32});
        if (!model) qFatal("%s", model.error().message.c_str());
        return std::move(*model);
    }

private slots:
    void initTestCase() {
        path_ = (dir_.path() + "/m.gguf").toStdString();
        TestModelSpec spec;
        spec.type = "F32";
        QVERIFY(writeModel(spec, path_));
    }

    void reusesTheCommonPrefix() {
        auto model = load(512);
        Session session(*model, {2});
        const auto a = range(0, 100), b = range(100, 30), c = range(200, 20);
        QVERIFY(session.evaluatePrompt(a));
        QVERIFY(session.evaluatePrompt(concat(a, b)));
        std::vector<float> incremental(session.logits().begin(), session.logits().end());
        QCOMPARE(session.cachedTokens().size(), size_t(130));

        // A fresh session evaluating a+b at once gets the same logits (F32 model: only rounding differs).
        auto freshModel = load(512);
        Session fresh(*freshModel, {2});
        QVERIFY(fresh.evaluatePrompt(concat(a, b)));
        float worst = 0.0f;
        for (size_t i = 0; i < incremental.size(); ++i) worst = std::max(worst, std::abs(incremental[i] - fresh.logits()[i]));
        QVERIFY2(worst < 1e-4f, qPrintable(QString::number(worst)));

        // Diverging after a: only c is evaluated; the same prompt again evaluates just its last token.
        auto result = session.generate(concat(a, c), {.maxTokens = 0}, greedy, [](int32_t) { return true; });
        QVERIFY(result);
        QCOMPARE(result->reusedTokens, 100);
        QCOMPARE(result->promptTokens, 20);
        result = session.generate(concat(a, c), {.maxTokens = 0}, greedy, [](int32_t) { return true; });
        QVERIFY(result);
        QCOMPARE(result->reusedTokens, 119);
        QCOMPARE(result->promptTokens, 1);
        QVERIFY(std::equal(session.cachedTokens().begin(), session.cachedTokens().end(), concat(a, c).begin()));
    }

    void generatedTokensAreReusedNextTurn() {
        auto model = load(512);
        Session session(*model, {2});
        const auto prompt = range(0, 40);
        auto result = session.generate(prompt, {.maxTokens = 8}, greedyNoEos, [](int32_t) { return true; });
        QVERIFY(result);
        QCOMPARE(result->stop, StopReason::TokenLimit);
        QCOMPARE(result->tokens.size(), size_t(8));
        // The next turn = prompt + reply + new text: everything but the last reply token is cached.
        const auto next = concat(concat(prompt, result->tokens), range(300, 10));
        auto second = session.generate(next, {.maxTokens = 1}, greedyNoEos, [](int32_t) { return true; });
        QVERIFY(second);
        QCOMPARE(second->reusedTokens, 40 + 7);
        QCOMPARE(second->promptTokens, 11);
    }

    void promptLongerThanContext() {
        auto model = load(64);
        Session session(*model, {2});
        const auto prompt = range(0, 100);
        auto refused = session.generate(prompt, {.maxTokens = 4}, greedy, [](int32_t) { return true; });
        QVERIFY(!refused);
        QVERIFY2(QString::fromStdString(refused.error().message).contains("100 tokens"), refused.error().message.c_str());
        QVERIFY(QString::fromStdString(refused.error().message).contains("64"));

        auto truncated = session.generate(prompt, {.maxTokens = 4, .truncatePrompt = true}, greedyNoEos, [](int32_t) { return true; });
        QVERIFY(truncated);
        QCOMPARE(truncated->truncatedTokens, 100 - 60);
        QCOMPARE(truncated->tokens.size(), size_t(4));
        QVERIFY(std::equal(prompt.end() - 60, prompt.end(), session.cachedTokens().begin()));
    }

    void stopsWhenTheContextIsFull() {
        auto model = load(40);
        Session session(*model, {2});
        auto result = session.generate(range(0, 30), {.maxTokens = 100}, greedyNoEos, [](int32_t) { return true; });
        QVERIFY(result);
        QCOMPARE(result->stop, StopReason::ContextFull);
        QCOMPARE(session.cachedTokens().size(), size_t(40));
        QCOMPARE(result->tokens.size(), size_t(11)); // 10 fill the cache, the 11th is sampled from its logits
    }

    void stopsAtEndOfGeneration() {
        auto model = load(128);
        Session session(*model, {2, 7});
        int calls = 0;
        auto sampler = [&](std::span<float>) { return ++calls == 3 ? int32_t(7) : int32_t(42); };
        std::vector<int32_t> seen;
        auto result = session.generate(range(0, 10), {.maxTokens = 50}, sampler, [&](int32_t t) {
            seen.push_back(t);
            return true;
        });
        QVERIFY(result);
        QCOMPARE(result->stop, StopReason::EndOfGeneration);
        QCOMPARE(result->tokens, (std::vector<int32_t>{42, 42}));
        QCOMPARE(seen, result->tokens); // the end token is not reported
    }

    void cancellationWithinOneToken() {
        auto model = load(256);
        Session session(*model, {2});
        // onToken returning false: nothing more is sampled or evaluated.
        int sampled = 0;
        auto counting = [&](std::span<float> logits) {
            ++sampled;
            return greedyNoEos(logits);
        };
        auto result = session.generate(range(0, 20), {.maxTokens = 100}, counting, [&](int32_t) { return sampled < 3; });
        QVERIFY(result);
        QCOMPARE(result->stop, StopReason::Cancelled);
        QCOMPARE(result->tokens.size(), size_t(3));
        QCOMPARE(sampled, 3);

        // The cancel flag, set while token 5 is reported: no sixth token.
        std::atomic<bool> cancel{false};
        sampled = 0;
        result = session.generate(range(0, 20), {.maxTokens = 100, .cancel = &cancel}, counting, [&](int32_t) {
            if (sampled == 5) cancel = true;
            return true;
        });
        QVERIFY(result);
        QCOMPARE(result->stop, StopReason::Cancelled);
        QCOMPARE(result->tokens.size(), size_t(5));

        // From another thread, as the GUI does: at most one token after the flag is seen set.
        cancel = false;
        std::atomic<int> reported{0};
        int reportedAtCancel = -1;
        std::thread canceller([&] {
            while (reported.load() < 4) std::this_thread::yield();
            reportedAtCancel = reported.load();
            cancel = true;
        });
        result = session.generate(range(0, 20), {.maxTokens = 100000, .cancel = &cancel}, greedyNoEos, [&](int32_t) {
            ++reported;
            return true;
        });
        canceller.join();
        QVERIFY(result);
        QCOMPARE(result->stop, StopReason::Cancelled);
        QVERIFY2(int(result->tokens.size()) <= reportedAtCancel + 1,
                 qPrintable(QString("%1 tokens, cancelled at %2").arg(result->tokens.size()).arg(reportedAtCancel)));

        // Cancelled before it starts: the prompt is abandoned between chunks, nothing generated.
        cancel = true;
        result = session.generate(range(1000, 200), {.maxTokens = 10, .cancel = &cancel}, greedyNoEos, [](int32_t) { return true; });
        QVERIFY(result);
        QCOMPARE(result->stop, StopReason::Cancelled);
        QVERIFY(result->tokens.empty());
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
