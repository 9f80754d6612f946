// lucent-cli bench MODEL [-p 512] [-n 128] [-d 0] [-r 3] [--backend cpu|vulkan|auto] [--device I] --json: prompt
// processing and generation speed, measured the way llama-bench does (pp: one batch of p tokens from
// an empty context; tg: n tokens one at a time after d tokens of context, e.g. a long reasoning
// trace: -d 8000), medians over r runs.
#include "app/cli/CommandTable.h"
#include "app/cli/EngineOptions.h"

#include <QThread>
#include <algorithm>
#include <chrono>

namespace lucent::cli {
namespace {

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int runBench(CliIo& io) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Measure prompt processing (pp) and generation (tg) speed.");
    parser.addPositionalArgument("MODEL", "The .gguf file.");
    parser.addOption({"p", "Prompt tokens (default 512; 0 skips pp).", "N", "512"});
    parser.addOption({"n", "Generated tokens (default 128; 0 skips tg).", "N", "128"});
    parser.addOption({"d", "Tokens already in the context when tg starts (default 0).", "N", "0"});
    parser.addOption({"r", "Repetitions; medians are reported (default 3).", "N", "3"});
    addEngineOptions(parser, "0");
    addCommonOptions(parser);
    if (!parseArguments(io, parser, 1, 1)) return parser.isSet("help") ? 0 : 1;
    const auto promptTokens = integerOption(io, parser, "p", 0, 1 << 20);
    const auto genTokens = integerOption(io, parser, "n", 0, 1 << 20);
    const auto depth = integerOption(io, parser, "d", 0, 1 << 20);
    const auto reps = integerOption(io, parser, "r", 1, 1000);
    if (!promptTokens || !genTokens || !depth || !reps) return 1;
    const int contextTokens = std::max({*promptTokens, *depth + *genTokens, 1});
    auto opened = loadEngineModel(io, parser, parser.positionalArguments().at(0), uint32_t(contextTokens));
    if (!opened) return 1;
    Backend* model = opened->backend.get();

    // Token ids spread over the vocabulary; their values do not change the amount of work.
    const uint32_t vocab = model->config().nVocab;
    std::vector<float> logits(vocab);
    auto spreadTokens = [vocab](int count) {
        std::vector<int32_t> tokens(static_cast<size_t>(count));
        for (size_t i = 0; i < tokens.size(); ++i) tokens[i] = int32_t((i * 7919 + 1) % vocab);
        return tokens;
    };
    const std::vector<int32_t> prompt = spreadTokens(*promptTokens);
    // the context tg starts from, filled in chunks of at most 512 (as a chat's prompt is)
    auto fillContext = [&]() -> Expected<void> {
        const std::vector<int32_t> context = spreadTokens(*depth);
        for (size_t at = 0; at < context.size(); at += 512) {
            const size_t count = std::min<size_t>(512, context.size() - at);
            if (auto done = model->eval(std::span(context.data() + at, count), int(at), logits.data()); !done) return done;
        }
        return {};
    };
    std::vector<double> pp, tg;
    for (int rep = 0; rep <= *reps; ++rep) { // rep 0 warms caches and page-ins, and is not counted
        if (*promptTokens > 0) {
            const auto start = std::chrono::steady_clock::now();
            if (auto done = model->eval(prompt, 0, logits.data()); !done) return reportError(io, QString::fromStdString(done.error().message));
            if (rep > 0) pp.push_back(*promptTokens / secondsSince(start));
        }
        if (*genTokens > 0) {
            // the context is filled once: what it holds (later pp runs overwrite its start) does not
            // change the work of a token at position depth + i
            if (rep == 0)
                if (auto filled = fillContext(); !filled) return reportError(io, QString::fromStdString(filled.error().message));
            int32_t token = 1;
            const auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < *genTokens; ++i) {
                if (auto done = model->eval(std::span(&token, 1), *depth + i, logits.data()); !done)
                    return reportError(io, QString::fromStdString(done.error().message));
                token = int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
            }
            if (rep > 0) tg.push_back(*genTokens / secondsSince(start));
        }
    }
    const QString backend = opened->vulkan ? "vulkan" : "cpu";
    const QString device = QString::fromStdString(opened->device);
    if (wantsJson(parser)) {
        QJsonObject result{{"backend", backend}, {"device", device}, {"gpuLayers", int(opened->gpuLayers)}};
        if (!pp.empty()) result["pp"] = QJsonObject{{"tokens", *promptTokens}, {"tps", median(pp)}};
        if (!tg.empty()) result["tg"] = QJsonObject{{"tokens", *genTokens}, {"depth", *depth}, {"tps", median(tg)}};
        return printJson(io, result);
    }
    io.out << "backend " << backend << " (" << device << ")\n";
    if (!pp.empty()) io.out << "pp" << *promptTokens << ": " << QString::number(median(pp), 'f', 1) << " tokens/s\n";
    if (!tg.empty())
        io.out << "tg" << *genTokens << (*depth > 0 ? QStringLiteral(" @ d%1").arg(*depth) : QString()) << ": "
               << QString::number(median(tg), 'f', 2) << " tokens/s\n";
    io.out.flush();
    return 0;
}

} // namespace lucent::cli
