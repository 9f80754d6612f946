// Each sampler stage on hand-made logits: exact survivors (ids, in order) and probabilities.
#include "inference/generation/SamplerStages.h"

#include <QTest>
#include <cmath>
#include <limits>
#include <numeric>

using namespace lucent;

namespace {

constexpr float infinity = std::numeric_limits<float>::infinity();
constexpr float notANumber = std::numeric_limits<float>::quiet_NaN();

CandidateList listOf(std::vector<float> logits) {
    CandidateList list;
    collectCandidates(logits, list);
    return list;
}

QList<int> ids(const CandidateList& list) {
    QList<int> out;
    for (const TokenCandidate& t : list.tokens) out << t.id;
    return out;
}

std::vector<double> probabilitiesOf(const CandidateList& list, float temperature) {
    std::vector<double> p;
    softmaxProbabilities(list, temperature, p);
    return p;
}

// log of probabilities p (unnormalised is fine): softmax gives back p / sum(p).
std::vector<float> logitsFor(std::vector<double> p) {
    std::vector<float> logits;
    for (double x : p) logits.push_back(float(std::log(x)));
    return logits;
}

} // namespace

class TestSamplerStages : public QObject {
    Q_OBJECT

private slots:
    void penaltiesDivideMultiplyAndSubtract() {
        std::vector<float> logits = {2.0f, -1.0f, 0.0f, 3.0f, 1.0f};
        PenaltyHistory history(64);
        for (int token : {0, 1, 2, 0, 0}) history.accept(token);
        applyPenalties(logits, history, /*repeat*/ 2.0f, /*frequency*/ 0.5f, /*presence*/ 0.25f);
        QCOMPARE(logits[0], 2.0f / 2 - 3 * 0.5f - 0.25f); // positive: divided; seen 3 times
        QCOMPARE(logits[1], -1.0f * 2 - 0.5f - 0.25f);    // negative: multiplied
        QCOMPARE(logits[2], 0.0f - 0.5f - 0.25f);         // zero counts as non-positive
        QCOMPARE(logits[3], 3.0f);                        // never seen: untouched
        QCOMPARE(logits[4], 1.0f);
    }

    void penaltyWindowForgetsOldTokens() {
        PenaltyHistory history(3);
        for (int token : {7, 7, 8, 9}) history.accept(token);
        QCOMPARE(history.size(), std::size_t(3));
        QCOMPARE(history.counts().at(7), 1); // the first 7 slid out
        QCOMPARE(history.counts().at(8), 1);
        history.accept(10);
        QVERIFY(!history.counts().contains(7));
        PenaltyHistory off(0);
        off.accept(1);
        QVERIFY(off.counts().empty());
        PenaltyHistory all(-1);
        for (int i = 0; i < 1000; ++i) all.accept(5);
        QCOMPARE(all.counts().at(5), 1000);
    }

    void penaltiesIgnoreIdsOutsideTheVocabulary() {
        std::vector<float> logits = {1.0f, 1.0f};
        PenaltyHistory history(8);
        history.accept(5);
        history.accept(-3);
        applyPenalties(logits, history, 2.0f, 1.0f, 1.0f);
        QCOMPARE(logits, (std::vector<float>{1.0f, 1.0f}));
    }

    void argmaxTakesLowestIdOnTiesAndSkipsNaN() {
        QCOMPARE(argmaxToken(std::vector<float>{1, 5, 5, 2}), 1);
        QCOMPARE(argmaxToken(std::vector<float>{notANumber, -2, notANumber, -1}), 3);
        QCOMPARE(argmaxToken(std::vector<float>{notANumber, notANumber}), -1);
        QCOMPARE(argmaxToken(std::vector<float>{}), -1);
        QCOMPARE(argmaxToken(std::vector<float>{-infinity, -infinity, 0.5f}), 2);
        QCOMPARE(argmaxToken(std::vector<float>{1, infinity, 3}), 1);
    }

    void collectSkipsNaNAndMinusInfinity() {
        const CandidateList list = listOf({1.0f, notANumber, -infinity, infinity, -2.0f});
        QCOMPARE(ids(list), (QList<int>{0, 3, 4}));
        QCOMPARE(list.tokens[1].logit, std::numeric_limits<float>::max());
        QVERIFY(!list.sorted);
    }

    void topK_data() {
        QTest::addColumn<int>("k");
        QTest::addColumn<QList<int>>("survivors");
        // logits by id:        0    1    2    3    4    5
        QTest::newRow("k=1") << 1 << QList<int>{4};
        QTest::newRow("k=3") << 3 << QList<int>{4, 1, 3}; // ties at 2.0: lower id first
        QTest::newRow("k=4 tie") << 4 << QList<int>{4, 1, 3, 5};
        QTest::newRow("k=size") << 6 << QList<int>{4, 1, 3, 5, 0, 2};
        QTest::newRow("k>size") << 100 << QList<int>{4, 1, 3, 5, 0, 2};
        QTest::newRow("k=0 off") << 0 << QList<int>{0, 1, 2, 3, 4, 5};
        QTest::newRow("k<0 off") << -5 << QList<int>{0, 1, 2, 3, 4, 5};
    }
    void topK() {
        QFETCH(int, k);
        QFETCH(QList<int>, survivors);
        CandidateList list = listOf({0.5f, 2.0f, -1.0f, 2.0f, 3.0f, 1.0f});
        keepTopK(list, k);
        QCOMPARE(ids(list), survivors);
        QCOMPARE(list.sorted, k > 0);
    }

    void topKOnALargeVocabularyMatchesAFullSort() {
        std::vector<float> logits(152064);
        uint32_t state = 99;
        for (float& x : logits) {
            state = state * 1664525u + 1013904223u;
            x = float(state >> 20) / 256.0f - 2048.0f; // many exact ties
        }
        CandidateList list = listOf(logits);
        keepTopK(list, 40);
        CandidateList full = listOf(logits);
        std::sort(full.tokens.begin(), full.tokens.end(), ranksBefore);
        full.tokens.resize(40);
        QCOMPARE(ids(list), ids(full));
    }

    void topP_data() {
        QTest::addColumn<float>("p");
        QTest::addColumn<QList<int>>("survivors");
        // probabilities by id: 0: 0.1, 1: 0.4, 2: 0.2, 3: 0.3 → order 1, 3, 2, 0; cumulative .4 .7 .9 1
        QTest::newRow("p=0.3 keeps one") << 0.3f << QList<int>{1};
        QTest::newRow("p=0.39") << 0.39f << QList<int>{1};
        QTest::newRow("p=0.5") << 0.5f << QList<int>{1, 3};
        QTest::newRow("p=0.75") << 0.75f << QList<int>{1, 3, 2};
        QTest::newRow("p=0.95") << 0.95f << QList<int>{1, 3, 2, 0};
        QTest::newRow("p=0 keeps at least one") << 0.0f << QList<int>{1};
        QTest::newRow("p=1 off, order untouched") << 1.0f << QList<int>{0, 1, 2, 3};
    }
    void topP() {
        QFETCH(float, p);
        QFETCH(QList<int>, survivors);
        CandidateList list = listOf(logitsFor({0.1, 0.4, 0.2, 0.3}));
        keepTopP(list, p);
        QCOMPARE(ids(list), survivors);
    }

    void topPUsesTheDistributionLeftByTopK() {
        // After top-k 2 the survivors are renormalised to 0.4/0.7 = 0.571 and 0.3/0.7: top-p sees those.
        CandidateList list = listOf(logitsFor({0.1, 0.4, 0.2, 0.3}));
        keepTopK(list, 2);
        keepTopP(list, 0.58f);
        QCOMPARE(ids(list), (QList<int>{1, 3})); // 0.4/0.7 = 0.571 < 0.58
        CandidateList again = listOf(logitsFor({0.1, 0.4, 0.2, 0.3}));
        keepTopK(again, 2);
        keepTopP(again, 0.57f);
        QCOMPARE(ids(again), (QList<int>{1}));
    }

    void topPOnALongListOfEqualTokens() {
        // 2000 equal tokens: p = 0.5 needs 1000 of them, all in one histogram bucket, taken by id.
        CandidateList list = listOf(std::vector<float>(2000, 0.0f));
        keepTopP(list, 0.5f);
        QCOMPARE(list.tokens.size(), std::size_t(1000));
        for (int i = 0; i < 1000; ++i) QCOMPARE(list.tokens[std::size_t(i)].id, i);
    }

    void topPOnALargeVocabularyMatchesAFullSort_data() {
        QTest::addColumn<float>("spread"); // logits uniform in [-spread, spread]
        QTest::addColumn<float>("p");
        QTest::newRow("flat, p 0.95") << 10.0f << 0.95f;
        QTest::newRow("flat, p 0.5") << 10.0f << 0.5f;
        QTest::newRow("peaky, p 0.95") << 60.0f << 0.95f;
        QTest::newRow("very flat, p 0.999") << 1.0f << 0.999f;
        QTest::newRow("p 0") << 10.0f << 0.0f;
    }
    void topPOnALargeVocabularyMatchesAFullSort() {
        QFETCH(float, spread);
        QFETCH(float, p);
        std::vector<float> logits(152064);
        uint32_t state = 7;
        for (float& x : logits) {
            state = state * 1664525u + 1013904223u;
            x = (float(state >> 8) / float(1u << 24) * 2.0f - 1.0f) * spread;
        }
        CandidateList list = listOf(logits);
        keepTopP(list, p);

        // Reference: sort everything, walk in double.
        CandidateList full = listOf(logits);
        std::sort(full.tokens.begin(), full.tokens.end(), ranksBefore);
        const double top = full.tokens.front().logit;
        double total = 0;
        for (const TokenCandidate& t : full.tokens) total += std::exp(double(t.logit) - top);
        double cumulative = 0;
        std::size_t keep = 0;
        while (keep < full.tokens.size()) {
            cumulative += std::exp(double(full.tokens[keep++].logit) - top);
            if (cumulative >= double(p) * total) break;
        }
        QCOMPARE(list.tokens.size(), keep);
        std::vector<int32_t> got, expected;
        for (const TokenCandidate& t : list.tokens) got.push_back(t.id);
        for (std::size_t i = 0; i < keep; ++i) expected.push_back(full.tokens[i].id);
        std::sort(got.begin(), got.end());
        std::sort(expected.begin(), expected.end());
        QVERIFY(got == expected);
    }

    void topPOnAShortUnsortedListSorts() {
        CandidateList all = listOf(logitsFor({0.1, 0.4, 0.2, 0.3}));
        keepTopP(all, 0.999f);
        QCOMPARE(ids(all), (QList<int>{1, 3, 2, 0}));
        QVERIFY(all.sorted);
    }

    void minP_data() {
        QTest::addColumn<float>("p");
        QTest::addColumn<QList<int>>("survivors");
        // probabilities by id: 0.1, 0.4, 0.2, 0.3 → relative to the best (0.4): 0.25, 1, 0.5, 0.75
        QTest::newRow("p=0 off") << 0.0f << QList<int>{0, 1, 2, 3};
        QTest::newRow("p=0.2") << 0.2f << QList<int>{0, 1, 2, 3};
        QTest::newRow("p=0.3") << 0.3f << QList<int>{1, 2, 3};
        QTest::newRow("p=0.6") << 0.6f << QList<int>{1, 3};
        QTest::newRow("p=0.9") << 0.9f << QList<int>{1};
        QTest::newRow("p=1 keeps the best") << 1.0f << QList<int>{1};
    }
    void minP() {
        QFETCH(float, p);
        QFETCH(QList<int>, survivors);
        CandidateList list = listOf(logitsFor({0.1, 0.4, 0.2, 0.3}));
        keepMinP(list, p);
        QCOMPARE(ids(list), survivors); // keeps id order when unsorted
    }

    void minPKeepsTheSortedOrder() {
        CandidateList list = listOf(logitsFor({0.1, 0.4, 0.2, 0.3}));
        keepTopK(list, 4);
        keepMinP(list, 0.4f);
        QCOMPARE(ids(list), (QList<int>{1, 3, 2}));
    }

    void softmaxWithTemperature() {
        const CandidateList list = listOf({std::log(1.0f), std::log(2.0f), std::log(5.0f)});
        const std::vector<double> t1 = probabilitiesOf(list, 1.0f);
        QVERIFY(std::abs(t1[0] - 0.125) < 1e-6);
        QVERIFY(std::abs(t1[1] - 0.25) < 1e-6);
        QVERIFY(std::abs(t1[2] - 0.625) < 1e-6);
        // T = 0.5 squares the odds: 1 : 4 : 25.
        const std::vector<double> t05 = probabilitiesOf(list, 0.5f);
        QVERIFY(std::abs(t05[0] - 1.0 / 30) < 1e-6);
        QVERIFY(std::abs(t05[1] - 4.0 / 30) < 1e-6);
        QVERIFY(std::abs(t05[2] - 25.0 / 30) < 1e-6);
        // T = 2 takes the square root.
        const std::vector<double> t2 = probabilitiesOf(list, 2.0f);
        const double z = 1 + std::sqrt(2.0) + std::sqrt(5.0);
        QVERIFY(std::abs(t2[2] - std::sqrt(5.0) / z) < 1e-6);
    }

    void softmaxSurvivesHugeLogits() {
        const CandidateList list = listOf({infinity, 0.0f, -3e38f});
        const std::vector<double> p = probabilitiesOf(list, 0.25f);
        QCOMPARE(p[0], 1.0);
        QCOMPARE(p[1], 0.0);
        QCOMPARE(p[2], 0.0);
    }

    void uniformFromRawDraw() {
        QCOMPARE(uniformFromDraw(0), 0.0);
        QCOMPARE(uniformFromDraw(0x80000000u), 0.5);
        QCOMPARE(uniformFromDraw(1), 1.0 / 4294967296.0);                   // all 32 bits count
        QCOMPARE(uniformFromDraw(0xffffffffu), 4294967295.0 / 4294967296.0); // and 1 is never reached
    }

    void pickWalksTheCumulativeSum_data() {
        QTest::addColumn<double>("u");
        QTest::addColumn<int>("index");
        QTest::newRow("0") << 0.0 << 1; // index 0 has probability 0: never chosen
        QTest::newRow("0.249") << 0.249 << 1;
        QTest::newRow("0.25 boundary") << 0.25 << 2;
        QTest::newRow("0.7") << 0.7 << 3;
        QTest::newRow("almost 1") << 0.9999999 << 3;
    }
    void pickWalksTheCumulativeSum() {
        QFETCH(double, u);
        QFETCH(int, index);
        const std::vector<double> p = {0.0, 0.25, 0.25, 0.5, 0.0};
        QCOMPARE(int(pickByUniform(p, u)), index);
    }
};

QTEST_APPLESS_MAIN(TestSamplerStages)
#include "tst_sampler_stages.moc"
