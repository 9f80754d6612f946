// Parity with llama.cpp: the models of tests/model/data/llama_parity.json are rebuilt in-process
// (lucent_testmodel is deterministic given the seed) and run on the CPU backend; llama.cpp's
// top-10 logits after prompt positions up to 1,099 and along its 32-token greedy continuation must
// match, and so must the greedy tokens wherever llama.cpp's choice is clear.
//
// Tolerances, from what separates the two implementations:
//  - F32/F16/BF16 weights: llama.cpp rounds activations to F16/BF16 before F16/BF16 dot products
//    and computes attention with F16-rounded queries; Lucent keeps them in fp32. Measured
//    differences stay below ~4e-3 on logits of magnitude ~4; we allow 0.02.
//  - Quantized weights: llama.cpp quantizes the activations to 8 bits (Q8_0 blocks of 32, Q8_K of
//    256) and uses integer dot products; Lucent multiplies the fp32 activations. That rounding
//    (≈ 0.4% of a block's largest value, per activation) moves logits by up to ~0.05 here; we
//    allow 0.12.
//  - Both are relative errors, so the bound grows with the logit: tolerance·max(1, |logit|/4)
//    (the tied-embedding model has logits near 120, where 0.25 is 0.2%).
//  - Greedy tokens must be identical where llama.cpp's top-2 gap exceeds that tolerance: below
//    it the two are tied within rounding and either choice is right.
#include "HfTokenizerFiles.h"
#include "TestModel.h"
#include "inference/cpu/CpuModel.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <map>

using namespace lucent;
using namespace lucent::testing;

namespace {

const QString kSourceDir = QStringLiteral(LUCENT_SOURCE_DIR);

struct Reference {
    std::vector<std::pair<int32_t, float>> top; // llama.cpp's top-10, best first
};

Reference readTop(const QJsonArray& array) {
    Reference r;
    for (const auto& entry : array) r.top.push_back({int32_t(entry.toArray()[0].toInt()), float(entry.toArray()[1].toDouble())});
    return r;
}

int32_t argmax(const std::vector<float>& logits) { return int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin()); }

bool isFloatType(const QString& type) { return type == "F32" || type == "F16" || type == "BF16"; }

} // namespace

class TestLlamaParity : public QObject {
    Q_OBJECT
    QJsonArray cases_;
    QTemporaryDir dir_;
    std::map<QString, GgufVocab> vocabularies_; // parsed once per vocabulary: tokenizer.json is large

private slots:
    void initTestCase() {
        QFile file(kSourceDir + "/tests/model/data/llama_parity.json");
        QVERIFY(file.open(QIODevice::ReadOnly));
        cases_ = QJsonDocument::fromJson(file.readAll()).object()["cases"].toArray();
        QVERIFY(cases_.size() >= 19);
        QVERIFY(dir_.isValid());
    }

    void matchesLlamaCpp_data() {
        QTest::addColumn<int>("index");
        for (int i = 0; i < cases_.size(); ++i) QTest::newRow(qPrintable(cases_[i].toObject()["name"].toString())) << i;
    }
    void matchesLlamaCpp() {
        QFETCH(int, index);
        const QJsonObject c = cases_[index].toObject();
        const QString type = c["type"].toString();
        const float tolerance = isFloatType(type) ? 0.02f : 0.12f;

        // The model, exactly as gen-llama-reference.mjs had lucent-make-test-model write it.
        const QString tokenizerDir = kSourceDir + "/" + c["tokenizer"].toString();
        if (!QDir(tokenizerDir).exists()) QSKIP("npm reference packages missing: run scripts/install-reference.sh");
        HfTokenizerOptions vocabOptions;
        if (!c["addedTokens"].toString().isEmpty()) vocabOptions.addedTokensFile = kSourceDir + "/" + c["addedTokens"].toString();
        vocabOptions.pre = c["pre"].toString().toStdString();
        vocabOptions.vocabPad = c["vocabPad"].toInt();
        const QString vocabName = c["vocab"].toString();
        if (!vocabularies_.count(vocabName)) {
            QString error;
            auto read = readHfTokenizer(tokenizerDir, vocabOptions, error);
            QVERIFY2(read, qPrintable(error));
            vocabularies_[vocabName] = std::move(*read);
        }
        const GgufVocab* vocab = &vocabularies_[vocabName];
        TestModelSpec spec;
        spec.arch = c["arch"].toString().toStdString();
        spec.type = type.toStdString();
        spec.nEmbd = uint32_t(c["nEmbd"].toInt());
        spec.nHead = uint32_t(c["nHead"].toInt());
        spec.nHeadKv = uint32_t(c["nHeadKv"].toInt());
        spec.headDim = uint32_t(c["headDim"].toInt());
        spec.nFf = uint32_t(c["nFf"].toInt());
        spec.nLayer = uint32_t(c["nLayer"].toInt());
        spec.tied = c["tied"].toBool();
        spec.ropeFreqs = c["ropeFreqs"].toBool();
        spec.seed = uint64_t(c["seed"].toInt());
        const std::string path = (dir_.path() + "/model.gguf").toStdString();
        auto written = writeTestModel(spec, *vocab, path);
        QVERIFY2(written, written ? "" : written.error().message.c_str());
        auto model = CpuModel::open(path, {2048, 0, 256});
        QVERIFY2(model, model ? "" : model.error().message.c_str());
        CpuModel& m = **model;
        QCOMPARE(m.config().gqaRatio(), uint32_t(c["nHead"].toInt() / c["nHeadKv"].toInt()));

        std::vector<float> logits(m.config().nVocab);
        float worst = 0.0f;
        auto compare = [&](const Reference& ref, const QString& where) {
            for (const auto& [id, expected] : ref.top) {
                const float difference = std::abs(logits[size_t(id)] - expected) / std::max(1.0f, std::abs(expected) / 4.0f);
                worst = std::max(worst, difference);
                if (difference > tolerance)
                    return QString("%1: logit of token %2 is %3, llama.cpp %4").arg(where).arg(id).arg(logits[size_t(id)]).arg(expected);
            }
            return QString();
        };
        // Greedy identity: our argmax must be llama.cpp's choice unless its top-2 gap is within rounding.
        int clearChoices = 0;
        auto checkChoice = [&](const Reference& ref, int32_t llamaChoice, const QString& where) {
            const float gap = ref.top[0].second - ref.top[1].second;
            if (gap <= tolerance * std::max(1.0f, std::abs(ref.top[0].second) / 4.0f)) return QString();
            ++clearChoices;
            const int32_t ours = argmax(logits);
            return ours == llamaChoice ? QString() : QString("%1: greedy token %2, llama.cpp %3 (its top-2 gap %4)").arg(where).arg(ours).arg(llamaChoice).arg(gap);
        };

        // The prompt in pieces that end at the recorded checkpoints (the last one past position 1,000).
        std::vector<int32_t> prompt;
        for (const auto& t : c["prompt"].toArray()) prompt.push_back(int32_t(t.toInt()));
        int done = 0;
        for (const auto& pointValue : c["checkpoints"].toArray()) {
            const QJsonObject point = pointValue.toObject();
            const int until = point["tokens"].toInt();
            auto evaluated = m.eval(std::span(prompt).subspan(size_t(done), size_t(until - done)), done, logits.data());
            QVERIFY2(evaluated, evaluated ? "" : evaluated.error().message.c_str());
            done = until;
            const QString problem = compare(readTop(point["top"].toArray()), QString("after %1 prompt tokens").arg(until));
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
        // llama.cpp's greedy continuation, fed token by token.
        const QJsonArray greedy = c["greedy"].toArray();
        const Reference promptEnd = readTop(c["checkpoints"].toArray().last().toObject()["top"].toArray());
        QString problem = checkChoice(promptEnd, int32_t(greedy[0].toObject()["token"].toInt()), "after the prompt");
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        for (int i = 0; i < greedy.size(); ++i) {
            const QJsonObject step = greedy[i].toObject();
            const int32_t token = int32_t(step["token"].toInt());
            auto evaluated = m.eval(std::span(&token, 1), done++, logits.data());
            QVERIFY2(evaluated, evaluated ? "" : evaluated.error().message.c_str());
            const Reference ref = readTop(step["top"].toArray());
            problem = compare(ref, QString("greedy step %1").arg(i));
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            if (i + 1 < greedy.size()) {
                problem = checkChoice(ref, int32_t(greedy[i + 1].toObject()["token"].toInt()), QString("greedy step %1").arg(i));
                QVERIFY2(problem.isEmpty(), qPrintable(problem));
            }
        }
        qInfo("%s: largest scaled logit difference %.5f (tolerance %.2f), %d of 32 greedy choices clear", qPrintable(c["name"].toString()),
              double(worst), double(tolerance), clearChoices);
        QFile::remove(QString::fromStdString(path));
    }
};

QTEST_GUILESS_MAIN(TestLlamaParity)
#include "tst_llama_parity.moc"
