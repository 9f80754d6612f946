// lucent-cli bench MODEL [-p 512] [-n 128] [-r 3] [--backend cpu|vulkan|auto] [--device I] --json: prompt processing and
// generation speed, measured the way llama-bench does (pp: one batch of p tokens from an empty
// context; tg: n tokens one at a time from an empty context), medians over r runs.
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
    parser.addOption({"r", "Repetitions; medians are reported (default 3).", "N", "3"});
    addEngineOptions(parser, "0");
    addCommonOptions(parser);
    if (!parseArguments(io, parser, 1, 1)) return parser.isSet("help") ? 0 : 1;
    const auto promptTokens = integerOption(io, parser, "p", 0, 1 << 20);
    const auto genTokens = integerOption(io, parser, "n", 0, 1 << 20);
    const auto reps = integerOption(io, parser, "r", 1, 1000);
    if (!promptTokens || !genTokens || !reps) return 1;
    auto opened = loadEngineModel(io, parser, parser.positionalArguments().at(0), uint32_t(std::max({*promptTokens, *genTokens, 1})));
    if (!opened) return 1;
    Backend* model = opened->backend.get();

    // Token ids spread over the vocabulary; their values do not change the amount of work.
    const uint32_t vocab = model->config().nVocab;
    std::vector<int32_t> prompt(static_cast<size_t>(*promptTokens));
    for (size_t i = 0; i < prompt.size(); ++i) prompt[i] = int32_t((i * 7919 + 1) % vocab);
    std::vector<float> logits(vocab);
    std::vector<double> pp, tg;
    for (int rep = 0; rep <= *reps; ++rep) { // rep 0 warms caches and page-ins, and is not counted
        if (*promptTokens > 0) {
            const auto start = std::chrono::steady_clock::now();
            if (auto done = model->eval(prompt, 0, logits.data()); !done) return reportError(io, QString::fromStdString(done.error().message));
            if (rep > 0) pp.push_back(*promptTokens / secondsSince(start));
        }
        if (*genTokens > 0) {
            int32_t token = 1;
            const auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < *genTokens; ++i) {
                if (auto done = model->eval(std::span(&token, 1), i, logits.data()); !done)
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
        if (!tg.empty()) result["tg"] = QJsonObject{{"tokens", *genTokens}, {"tps", median(tg)}};
        return printJson(io, result);
    }
    io.out << "backend " << backend << " (" << device << ")\n";
    if (!pp.empty()) io.out << "pp" << *promptTokens << ": " << QString::number(median(pp), 'f', 1) << " tokens/s\n";
    if (!tg.empty()) io.out << "tg" << *genTokens << ": " << QString::number(median(tg), 'f', 2) << " tokens/s\n";
    io.out.flush();
    return 0;
}

} // namespace lucent::cli
