// The Sampler as a whole: the documented seeded draw, determinism, frequencies that match the
// softmax, greedy, penalties through accept(), edge cases, settings validation, and speed on a
// 152k vocabulary (QBENCHMARK, not asserted).
#include "inference/generation/Sampler.h"

#include <QTest>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

using namespace lucent;

namespace {

constexpr float infinity = std::numeric_limits<float>::infinity();
constexpr float notANumber = std::numeric_limits<float>::quiet_NaN();

SamplerSettings plain(uint32_t seed) {
    SamplerSettings s;
    s.temperature = 1.0f;
    s.topK = 0;
    s.topP = 1.0f;
    s.minP = 0.0f;
    s.seed = seed;
    return s;
}

Sampler make(const SamplerSettings& settings) {
    auto sampler = Sampler::create(settings);
    if (!sampler) qFatal("settings rejected: %s", sampler.error().message.c_str());
    return std::move(sampler).value();
}

int32_t sampleCopy(Sampler& sampler, std::vector<float> logits) {
    auto token = sampler.sample(logits);
    if (!token) qFatal("sample failed: %s", token.error().message.c_str());
    return *token;
}

std::vector<float> logOf(const std::vector<double>& p) {
    std::vector<float> logits;
    for (double x : p) logits.push_back(float(std::log(x)));
    return logits;
}

std::vector<int32_t> run(Sampler& sampler, const std::vector<float>& logits, int n) {
    std::vector<int32_t> tokens;
    for (int i = 0; i < n; ++i) tokens.push_back(sampleCopy(sampler, logits));
    return tokens;
}

/// Pearson's statistic of observed counts against expected probabilities (cells with p = 0 must be empty).
double chiSquare(const std::vector<int>& counts, const std::vector<double>& p, int n) {
    double chi = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (p[i] == 0.0) {
            if (counts[i] != 0) return std::numeric_limits<double>::infinity();
            continue;
        }
        const double expected = p[i] * n;
        chi += (counts[i] - expected) * (counts[i] - expected) / expected;
    }
    return chi;
}

} // namespace

class TestSampler : public QObject {
    Q_OBJECT

private slots:
    void standardFixesTheGenerator() {
        // The C++ standard requires this value ([rand.predef]); it is what makes seeds portable.
        std::mt19937 generator;
        generator.discard(9999);
        QCOMPARE(uint32_t(generator()), 4123659995u);
    }

    void drawFollowsTheDocumentedRecipe() {
        // An independent oracle: one raw mt19937 draw per token, u = draw / 2^32, walked over the
        // probabilities in id order (no stage sorted them).
        const std::vector<double> p = {0.125, 0.25, 0.5, 0.125};
        const std::vector<float> logits = logOf(p);
        for (uint32_t seed : {0u, 1u, 42u, 123456789u}) {
            Sampler sampler = make(plain(seed));
            std::mt19937 oracle(seed);
            for (int i = 0; i < 200; ++i) {
                const double u = double(uint32_t(oracle())) / 4294967296.0;
                int expected = 0;
                double cumulative = p[0];
                while (u >= cumulative) cumulative += p[std::size_t(++expected)];
                QCOMPARE(sampleCopy(sampler, logits), expected);
            }
        }
    }

    void sameSeedSameTokensAndResetRestarts() {
        const std::vector<float> logits = {0.1f, 0.3f, -0.2f, 0.0f, 0.25f, -0.1f, 0.05f, 0.2f};
        Sampler a = make(plain(7));
        Sampler b = make(plain(7));
        const std::vector<int32_t> first = run(a, logits, 100);
        QCOMPARE(run(b, logits, 100), first);
        a.reset();
        QCOMPARE(run(a, logits, 100), first);
    }

    void differentSeedsDiffer() {
        const std::vector<float> logits = {0.1f, 0.3f, -0.2f, 0.0f, 0.25f, -0.1f, 0.05f, 0.2f};
        Sampler a = make(plain(1));
        Sampler b = make(plain(2));
        QVERIFY(run(a, logits, 100) != run(b, logits, 100));
    }

    void frequenciesMatchTheSoftmax_data() {
        QTest::addColumn<float>("temperature");
        QTest::addColumn<int>("topK");
        QTest::addColumn<float>("topP");
        QTest::addColumn<float>("minP");
        QTest::addColumn<QList<double>>("expected"); // by id, computed by hand from p below
        const QList<double> p = {0.05, 0.10, 0.15, 0.20, 0.20, 0.30};
        QTest::newRow("plain") << 1.0f << 0 << 1.0f << 0.0f << p;
        // T = 0.5 squares: 25, 100, 225, 400, 400, 900 (/ 2050)
        QTest::newRow("T=0.5") << 0.5f << 0 << 1.0f << 0.0f
                               << QList<double>{25 / 2050., 100 / 2050., 225 / 2050., 400 / 2050., 400 / 2050., 900 / 2050.};
        // top-k 3: ids 5, 3, 4 (ties by id) renormalised over 0.7
        QTest::newRow("top-k 3") << 1.0f << 3 << 1.0f << 0.0f << QList<double>{0, 0, 0, 2 / 7., 2 / 7., 3 / 7.};
        // top-p 0.6: 0.3 + 0.2 + 0.2 = 0.7 ≥ 0.6 → ids 5, 3, 4
        QTest::newRow("top-p 0.6") << 1.0f << 0 << 0.6f << 0.0f << QList<double>{0, 0, 0, 2 / 7., 2 / 7., 3 / 7.};
        // min-p 0.4: keep p ≥ 0.12 → ids 2..5 (0.85), then T = 2: square roots
        const double z = std::sqrt(0.15) + 2 * std::sqrt(0.2) + std::sqrt(0.3);
        QTest::newRow("min-p 0.4, T=2") << 2.0f << 0 << 1.0f << 0.4f
                                        << QList<double>{0, 0, std::sqrt(0.15) / z, std::sqrt(0.2) / z, std::sqrt(0.2) / z, std::sqrt(0.3) / z};
    }
    void frequenciesMatchTheSoftmax() {
        QFETCH(float, temperature);
        QFETCH(int, topK);
        QFETCH(float, topP);
        QFETCH(float, minP);
        QFETCH(QList<double>, expected);
        SamplerSettings s = plain(2024);
        s.temperature = temperature;
        s.topK = topK;
        s.topP = topP;
        s.minP = minP;
        Sampler sampler = make(s);
        const std::vector<float> logits = logOf({0.05, 0.10, 0.15, 0.20, 0.20, 0.30});
        constexpr int n = 60000;
        std::vector<int> counts(6, 0);
        for (int i = 0; i < n; ++i) ++counts[std::size_t(sampleCopy(sampler, logits))];
        const double chi = chiSquare(counts, std::vector<double>(expected.begin(), expected.end()), n);
        // 5 degrees of freedom at most; the 99.9 % quantile is 20.5. A biased draw lands far above.
        QVERIFY2(chi < 20.5, qPrintable(QString("chi-square %1, counts %2 %3 %4 %5 %6 %7")
                                            .arg(chi).arg(counts[0]).arg(counts[1]).arg(counts[2])
                                            .arg(counts[3]).arg(counts[4]).arg(counts[5])));
    }

    void greedyIsArgmaxAndTemperatureZeroIsGreedy() {
        const std::vector<float> logits = {1.0f, 2.5f, 2.4f, 2.5f, -1.0f};
        SamplerSettings greedy = plain(1);
        greedy.greedy = true;
        Sampler g = make(greedy);
        SamplerSettings cold = plain(1);
        cold.temperature = 0.0f;
        Sampler c = make(cold);
        SamplerSettings negative = plain(1);
        negative.temperature = -1.0f;
        Sampler n = make(negative);
        for (int i = 0; i < 20; ++i) {
            QCOMPARE(sampleCopy(g, logits), 1); // tie with id 3: lowest id
            QCOMPARE(sampleCopy(c, logits), 1);
            QCOMPARE(sampleCopy(n, logits), 1);
        }
    }

    void repeatPenaltyThroughAccept() {
        SamplerSettings s = plain(1);
        s.greedy = true;
        s.repeatPenalty = 1.5f;
        s.penaltyLastN = 2;
        Sampler sampler = make(s);
        const std::vector<float> logits = {3.0f, 2.5f, 2.4f};
        QCOMPARE(sampleCopy(sampler, logits), 0);
        sampler.accept(0); // 3 / 1.5 = 2 < 2.5
        QCOMPARE(sampleCopy(sampler, logits), 1);
        sampler.accept(1); // 0 and 1 penalised: 2, 1.67, 2.4
        QCOMPARE(sampleCopy(sampler, logits), 2);
        sampler.accept(2); // window of 2: token 0 is forgotten
        QCOMPARE(sampleCopy(sampler, logits), 0);
    }

    void presenceAndFrequencyThroughAccept() {
        SamplerSettings s = plain(1);
        s.greedy = true;
        s.frequencyPenalty = 0.4f;
        s.presencePenalty = 0.15f;
        Sampler sampler = make(s);
        const std::vector<float> logits = {1.0f, 0.5f};
        sampler.accept(0); // 1 − 0.4 − 0.15 = 0.45 < 0.5
        QCOMPARE(sampleCopy(sampler, logits), 1);
        SamplerSettings off = s;
        off.penaltyLastN = 0;
        Sampler unpenalised = make(off);
        unpenalised.accept(0);
        QCOMPARE(sampleCopy(unpenalised, logits), 0);
    }

    void penaltiesChangeTheCallersLogits() {
        SamplerSettings s = plain(1);
        s.repeatPenalty = 2.0f;
        Sampler sampler = make(s);
        sampler.accept(1);
        std::vector<float> logits = {1.0f, 4.0f};
        QVERIFY(sampler.sample(logits).ok());
        QCOMPARE(logits[1], 2.0f);
    }

    void allMinusInfinityButOne() {
        std::vector<float> logits(1000, -infinity);
        logits[617] = -50.0f;
        for (uint32_t seed : {1u, 2u, 3u}) {
            Sampler sampler = make(plain(seed));
            for (int i = 0; i < 20; ++i) QCOMPARE(sampleCopy(sampler, logits), 617);
        }
        Sampler defaults = make(SamplerSettings{});
        QCOMPARE(sampleCopy(defaults, logits), 617);
    }

    void nanLogitsAreSkipped() {
        Sampler sampler = make(plain(5));
        const std::vector<float> logits = {notANumber, 0.0f, notANumber, 0.0f, notANumber};
        std::vector<int> counts(5, 0);
        for (int i = 0; i < 400; ++i) ++counts[std::size_t(sampleCopy(sampler, logits))];
        QCOMPARE(counts[0] + counts[2] + counts[4], 0);
        QVERIFY(counts[1] > 150 && counts[3] > 150);
    }

    void noUsableLogitIsAnError_data() {
        QTest::addColumn<bool>("greedy");
        QTest::newRow("sampled") << false;
        QTest::newRow("greedy") << true;
    }
    void noUsableLogitIsAnError() {
        QFETCH(bool, greedy);
        SamplerSettings s = plain(1);
        s.greedy = greedy;
        Sampler sampler = make(s);
        for (std::vector<float> logits : {std::vector<float>{notANumber, notANumber}, std::vector<float>{-infinity, notANumber, -infinity},
                                          std::vector<float>{}}) {
            auto token = sampler.sample(logits);
            QVERIFY(!token.ok());
            QVERIFY(token.error().message.find("no usable scores") != std::string::npos);
        }
    }

    void topKLargerThanTheVocabulary() {
        SamplerSettings s = plain(3);
        s.topK = 1000;
        Sampler sampler = make(s);
        std::vector<int> counts(3, 0);
        for (int i = 0; i < 300; ++i) ++counts[std::size_t(sampleCopy(sampler, {0.0f, 0.0f, 0.0f}))];
        QVERIFY(counts[0] > 50 && counts[1] > 50 && counts[2] > 50);
    }

    void plusInfinityWins() {
        Sampler sampler = make(plain(3));
        for (int i = 0; i < 20; ++i) QCOMPARE(sampleCopy(sampler, {5.0f, infinity, 7.0f}), 1);
    }

    void invalidSettingsAreRejected_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("top-p") << "topP" << "Top-p must be between 0 and 1";
        QTest::newRow("min-p") << "minP" << "Min-p must be between 0 and 1";
        QTest::newRow("top-k") << "topK" << "Top-k must be 0";
        QTest::newRow("repeat") << "repeatPenalty" << "repeat penalty must be a positive";
        QTest::newRow("window") << "penaltyLastN" << "penalty window";
        QTest::newRow("temperature") << "temperature" << "temperature must be a finite";
    }
    void invalidSettingsAreRejected() {
        QFETCH(QString, field);
        QFETCH(QString, phrase);
        SamplerSettings s;
        if (field == "topP") s.topP = 1.5f;
        if (field == "minP") s.minP = -0.1f;
        if (field == "topK") s.topK = -1;
        if (field == "repeatPenalty") s.repeatPenalty = 0.0f;
        if (field == "penaltyLastN") s.penaltyLastN = -2;
        if (field == "temperature") s.temperature = notANumber;
        auto sampler = Sampler::create(s);
        QVERIFY(!sampler.ok());
        QVERIFY2(QString::fromStdString(sampler.error().message).contains(phrase), sampler.error().message.c_str());
        QVERIFY(Sampler::create(SamplerSettings{}).ok());
    }

    void benchmark152kVocabulary_data() {
        QTest::addColumn<int>("topK");
        QTest::newRow("defaults (top-k 40)") << 40;
        QTest::newRow("top-k off (top-p 0.95 over all)") << 0;
    }
    void benchmark152kVocabulary() {
        QFETCH(int, topK);
        std::vector<float> logits(152064);
        std::mt19937 generator(11);
        for (float& x : logits) x = float(generator() % 20000) / 1000.0f - 10.0f;
        SamplerSettings s; // llama.cpp defaults: T 0.8, top-k 40, top-p 0.95, min-p 0.05
        s.topK = topK;
        Sampler sampler = make(s);
        std::vector<float> scratch = logits;
        QBENCHMARK {
            scratch = logits;
            QVERIFY(sampler.sample(scratch).ok());
        }
    }
};

QTEST_APPLESS_MAIN(TestSampler)
#include "tst_sampler.moc"
