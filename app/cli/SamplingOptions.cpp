#include "app/cli/SamplingOptions.h"

#include <cmath>
#include <functional>

namespace lucent::cli {
namespace {

// Reads --name as a finite number that `inRange` accepts; `range` words the rule for the error.
bool readNumber(CliIo& io, const QCommandLineParser& parser, const QString& name, const std::function<bool(double)>& inRange,
                const QString& range, std::optional<float>& out) {
    if (!parser.isSet(name)) return true;
    bool ok = false;
    const double value = parser.value(name).toDouble(&ok);
    if (!ok || !std::isfinite(value) || !inRange(value)) {
        reportError(io, QStringLiteral("--%1 must be %2, not '%3'.").arg(name, range, parser.value(name)));
        return false;
    }
    out = float(value);
    return true;
}

} // namespace

void addSamplingOptions(QCommandLineParser& parser) {
    parser.addOption({"greedy", "Always take the most likely token (no sampling options allowed with it)."});
    parser.addOption({"temp", "Temperature, 0 or more; 0 means greedy (default 0.8, or the model family's).", "T"});
    parser.addOption({"top-k", "Keep the K most likely tokens; 0 keeps all (default 40).", "K"});
    parser.addOption({"top-p", "Nucleus sampling threshold from 0 to 1; 1 turns it off (default 0.95).", "P"});
    parser.addOption({"min-p", "Drop tokens below M times the best one's probability, 0 to 1 (default 0.05).", "M"});
    parser.addOption({"repeat-penalty", "Penalty for the last 64 tokens, above 0; 1 turns it off (default 1).", "R"});
    parser.addOption({"seed", QStringLiteral("Random seed, 0 to 4294967295 (default %1: runs repeat).").arg(kDefaultSeed), "S"});
}

std::optional<SamplingChoices> readSamplingOptions(CliIo& io, const QCommandLineParser& parser) {
    SamplingChoices choices;
    choices.greedy = parser.isSet("greedy");
    if (choices.greedy) {
        for (const char* name : {"temp", "top-k", "top-p", "min-p", "repeat-penalty"})
            if (parser.isSet(name)) {
                reportError(io, QStringLiteral("--greedy always takes the most likely token; leave out --%1.").arg(name));
                return std::nullopt;
            }
    }
    const auto unit = [](double v) { return v >= 0.0 && v <= 1.0; };
    if (!readNumber(io, parser, "temp", [](double v) { return v >= 0.0; }, "a number of 0 or more (0 means greedy)", choices.temperature) ||
        !readNumber(io, parser, "top-p", unit, "a number from 0 to 1", choices.topP) ||
        !readNumber(io, parser, "min-p", unit, "a number from 0 to 1", choices.minP) ||
        !readNumber(io, parser, "repeat-penalty", [](double v) { return v > 0.0; }, "a number above 0 (1 turns it off)",
                    choices.repeatPenalty))
        return std::nullopt;
    if (parser.isSet("top-k")) {
        bool ok = false;
        const int k = parser.value("top-k").toInt(&ok);
        if (!ok || k < 0) {
            reportError(io, QStringLiteral("--top-k must be a whole number of 0 or more, not '%1'.").arg(parser.value("top-k")));
            return std::nullopt;
        }
        choices.topK = k;
    }
    if (parser.isSet("seed")) {
        bool ok = false;
        const qulonglong seed = parser.value("seed").toULongLong(&ok);
        if (!ok || seed > 0xFFFFFFFFull) {
            reportError(io, QStringLiteral("--seed must be a whole number from 0 to 4294967295, not '%1'.").arg(parser.value("seed")));
            return std::nullopt;
        }
        choices.seed = uint32_t(seed);
    }
    return choices;
}

SamplerSettings SamplingChoices::over(SamplerSettings defaults) const {
    SamplerSettings settings = defaults;
    settings.greedy = greedy;
    settings.temperature = temperature.value_or(settings.temperature);
    settings.topK = topK.value_or(settings.topK);
    settings.topP = topP.value_or(settings.topP);
    settings.minP = minP.value_or(settings.minP);
    settings.repeatPenalty = repeatPenalty.value_or(settings.repeatPenalty);
    settings.seed = seed;
    return settings;
}

} // namespace lucent::cli
