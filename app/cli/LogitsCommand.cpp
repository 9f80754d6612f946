// lucent-cli logits MODEL --tokens 1,2,3 [--top K] [--backend cpu|vulkan|auto] [--device I] --json: the model's
// scores for the token after the given ones (for comparing engines).
#include "app/cli/CommandTable.h"
#include "app/cli/EngineOptions.h"

#include <QJsonArray>
#include <algorithm>
#include <numeric>

namespace lucent::cli {

int runLogits(CliIo& io) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Print the logits after a sequence of token ids.");
    parser.addPositionalArgument("MODEL", "The .gguf file.");
    parser.addOption({"tokens", "Comma-separated token ids.", "IDS"});
    parser.addOption({"top", "How many of the highest logits to print (default 10).", "K", "10"});
    addEngineOptions(parser, "0");
    addCommonOptions(parser);
    if (!parseArguments(io, parser, 1, 1)) return parser.isSet("help") ? 0 : 1;

    std::vector<int32_t> tokens;
    for (const QString& part : parser.value("tokens").split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int id = part.trimmed().toInt(&ok);
        if (!ok || id < 0) return reportError(io, QStringLiteral("'%1' in --tokens is not a token id.").arg(part));
        tokens.push_back(id);
    }
    if (tokens.empty()) return reportError(io, "--tokens needs at least one token id, e.g. --tokens 1,2,3.");
    const auto top = integerOption(io, parser, "top", 1, 1 << 20);
    if (!top) return 1;
    // The context only needs to hold the tokens (--ctx 0, the default, means just that).
    auto opened = loadEngineModel(io, parser, parser.positionalArguments().at(0), uint32_t(tokens.size()));
    if (!opened) return 1;
    Backend* model = opened->backend.get();

    std::vector<float> logits(model->config().nVocab);
    if (auto done = model->eval(tokens, 0, logits.data()); !done) return reportError(io, QString::fromStdString(done.error().message));
    std::vector<int32_t> order(logits.size());
    std::iota(order.begin(), order.end(), 0);
    const size_t k = std::min(size_t(*top), order.size());
    std::partial_sort(order.begin(), order.begin() + ptrdiff_t(k), order.end(),
                      [&](int32_t a, int32_t b) { return logits[size_t(a)] > logits[size_t(b)] || (logits[size_t(a)] == logits[size_t(b)] && a < b); });
    if (wantsJson(parser)) {
        QJsonArray best;
        for (size_t i = 0; i < k; ++i) best.append(QJsonObject{{"id", order[i]}, {"logit", double(logits[size_t(order[i])])}});
        return printJson(io, {{"n_vocab", qint64(logits.size())}, {"top", best}});
    }
    for (size_t i = 0; i < k; ++i) io.out << order[i] << "\t" << logits[size_t(order[i])] << "\n";
    io.out.flush();
    return 0;
}

} // namespace lucent::cli
