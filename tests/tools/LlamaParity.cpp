#include "LlamaParity.h"

#include "TestModel.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <algorithm>
#include <cmath>
#include <span>
#include <utility>
#include <vector>

namespace lucent::testing {
namespace {

const QString kSourceDir = QStringLiteral(LUCENT_SOURCE_DIR);

/// llama.cpp's top-10 (token id, logit), best first.
using TopLogits = std::vector<std::pair<int32_t, float>>;

TopLogits readTop(const QJsonArray& array) {
    TopLogits top;
    for (const auto& entry : array) top.push_back({int32_t(entry.toArray()[0].toInt()), float(entry.toArray()[1].toDouble())});
    return top;
}

float scale(float logit) { return std::max(1.0f, std::abs(logit) / 4.0f); }

/// Compares logits with llama.cpp's and its greedy choices, remembering the worst difference.
class Comparison {
public:
    Comparison(std::vector<float>& logits, float tolerance) : logits_(logits), tolerance_(tolerance) {}

    Expected<void> logitsMatch(const TopLogits& reference, const std::string& where) {
        for (const auto& [id, expected] : reference) {
            if (id < 0 || size_t(id) >= logits_.size()) return fail(where + ": llama.cpp's token " + std::to_string(id) + " is outside the vocabulary.");
            const float ours = logits_[size_t(id)];
            const float difference = std::abs(ours - expected) / scale(expected);
            measure_.worstDifference = std::max(measure_.worstDifference, difference);
            if (!(difference <= tolerance_)) // NaN fails too
                return fail(where + ": logit of token " + std::to_string(id) + " is " + std::to_string(ours) + ", llama.cpp " +
                            std::to_string(expected) + ".");
        }
        return {};
    }

    /// Our argmax must be llama.cpp's choice unless its top-2 gap is within rounding.
    Expected<void> choiceMatches(const TopLogits& reference, int32_t llamaChoice, const std::string& where) {
        if (reference.size() < 2) return fail(where + ": the case records fewer than two top logits.");
        const float gap = reference[0].second - reference[1].second;
        if (gap <= tolerance_ * scale(reference[0].second)) return {};
        ++measure_.clearChoices;
        const auto ours = int32_t(std::max_element(logits_.begin(), logits_.end()) - logits_.begin());
        if (ours == llamaChoice) return {};
        return fail(where + ": greedy token " + std::to_string(ours) + ", llama.cpp " + std::to_string(llamaChoice) + " (its top-2 gap " +
                    std::to_string(gap) + ").");
    }

    ParityMeasure& measure() { return measure_; }

private:
    std::vector<float>& logits_;
    float tolerance_;
    ParityMeasure measure_;
};

} // namespace

Expected<QJsonArray> readParityCases(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return fail("Cannot read " + path.toStdString() + ".");
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (document.isNull()) return fail(path.toStdString() + " is not JSON: " + error.errorString().toStdString() + ".");
    return document.object()["cases"].toArray();
}

bool ParityModelWriter::hasTokenizer(const QJsonObject& parityCase) {
    return QDir(kSourceDir + "/" + parityCase["tokenizer"].toString()).exists();
}

Expected<void> ParityModelWriter::write(const QJsonObject& c, const std::string& path) {
    const QString vocabName = c["vocab"].toString();
    if (!vocabularies_.count(vocabName)) {
        HfTokenizerOptions options;
        if (!c["addedTokens"].toString().isEmpty()) options.addedTokensFile = kSourceDir + "/" + c["addedTokens"].toString();
        options.pre = c["pre"].toString().toStdString();
        options.vocabPad = c["vocabPad"].toInt();
        QString error;
        auto read = readHfTokenizer(kSourceDir + "/" + c["tokenizer"].toString(), options, error);
        if (!read) return fail(error.toStdString());
        vocabularies_[vocabName] = std::move(*read);
    }
    TestModelSpec spec;
    spec.arch = c["arch"].toString().toStdString();
    spec.type = c["type"].toString().toStdString();
    spec.nEmbd = uint32_t(c["nEmbd"].toInt());
    spec.nHead = uint32_t(c["nHead"].toInt());
    spec.nHeadKv = uint32_t(c["nHeadKv"].toInt());
    spec.headDim = uint32_t(c["headDim"].toInt());
    spec.nFf = uint32_t(c["nFf"].toInt());
    spec.nLayer = uint32_t(c["nLayer"].toInt());
    spec.tied = c["tied"].toBool();
    spec.ropeFreqs = c["ropeFreqs"].toBool();
    spec.seed = uint64_t(c["seed"].toInt());
    return writeTestModel(spec, vocabularies_[vocabName], path);
}

float parityTolerance(const QString& type, ParityReference reference) {
    if (type == "F32" || type == "F16" || type == "BF16") return 0.02f;
    return reference == ParityReference::Vulkan ? 0.06f : 0.12f;
}

Expected<ParityMeasure> checkLlamaParity(Backend& backend, const QJsonObject& c, float tolerance) {
    const uint32_t gqa = uint32_t(c["nHead"].toInt() / std::max(1, c["nHeadKv"].toInt()));
    if (backend.config().gqaRatio() != gqa)
        return fail("The model has GQA ratio " + std::to_string(backend.config().gqaRatio()) + ", the case " + std::to_string(gqa) + ".");
    std::vector<float> logits(backend.config().nVocab);
    Comparison compare(logits, tolerance);

    // The prompt in pieces that end at the recorded checkpoints.
    std::vector<int32_t> prompt;
    for (const auto& t : c["prompt"].toArray()) prompt.push_back(int32_t(t.toInt()));
    int done = 0;
    for (const auto& pointValue : c["checkpoints"].toArray()) {
        const QJsonObject point = pointValue.toObject();
        const int until = point["tokens"].toInt();
        if (until <= done || size_t(until) > prompt.size()) return fail("The case's checkpoints are not increasing prompt lengths.");
        const std::string where = "after " + std::to_string(until) + " prompt tokens";
        if (auto evaluated = backend.eval(std::span(prompt).subspan(size_t(done), size_t(until - done)), done, logits.data()); !evaluated)
            return fail(where + ": " + evaluated.error().message);
        done = until;
        if (auto matched = compare.logitsMatch(readTop(point["top"].toArray()), where); !matched) return fail(matched.error());
    }

    // llama.cpp's greedy continuation, fed token by token.
    const QJsonArray greedy = c["greedy"].toArray();
    if (greedy.isEmpty() || c["checkpoints"].toArray().isEmpty()) return fail("The case has no checkpoints or no greedy continuation.");
    const TopLogits promptEnd = readTop(c["checkpoints"].toArray().last().toObject()["top"].toArray());
    if (auto chosen = compare.choiceMatches(promptEnd, int32_t(greedy[0].toObject()["token"].toInt()), "after the prompt"); !chosen)
        return fail(chosen.error());
    for (int i = 0; i < greedy.size(); ++i) {
        const QJsonObject step = greedy[i].toObject();
        const auto token = int32_t(step["token"].toInt());
        const std::string where = "greedy step " + std::to_string(i);
        if (auto evaluated = backend.eval(std::span(&token, 1), done++, logits.data()); !evaluated)
            return fail(where + ": " + evaluated.error().message);
        const TopLogits reference = readTop(step["top"].toArray());
        if (auto matched = compare.logitsMatch(reference, where); !matched) return fail(matched.error());
        if (i + 1 < greedy.size())
            if (auto chosen = compare.choiceMatches(reference, int32_t(greedy[i + 1].toObject()["token"].toInt()), where); !chosen)
                return fail(chosen.error());
        ++compare.measure().greedySteps;
    }
    return compare.measure();
}

} // namespace lucent::testing
