// lucent-cli generate MODEL (--prompt T | --prompt-file F | --tokens ids) [--chat] [--system S] [-n N]
// [--greedy | --temp T --top-k K --top-p P --min-p M --repeat-penalty R] [--seed S] [--ctx N]
// [--backend cpu|vulkan|auto] [--device I] [--json]: one reply, streamed or as a JSON object.
#include "app/cli/CommandTable.h"
#include "app/cli/EngineOptions.h"
#include "app/cli/GenerationOutput.h"
#include "app/cli/InterruptCancel.h"
#include "app/cli/SamplingOptions.h"
#include "inference/gguf/GgufFile.h"

#include <QFile>
#include <QJsonArray>
#include <algorithm>
#include <climits>

namespace lucent::cli {
namespace {

// How far past its training context a model may be run. RoPE models degrade beyond it but some
// users stretch it on purpose; a bigger number is almost surely a typo that would allocate gigabytes.
constexpr uint64_t kContextStretch = 4;
constexpr uint32_t kDefaultContext = 4096;

void addGenerateOptions(QCommandLineParser& parser) {
    parser.addPositionalArgument("MODEL", "The .gguf file.");
    parser.addOption({"prompt", "The prompt text.", "T"});
    parser.addOption({"prompt-file", "Read the prompt from a file (its bytes as they are).", "F"});
    parser.addOption({"tokens", "The prompt as comma-separated token ids.", "IDS"});
    parser.addOption({"chat", "Send the prompt as a user turn through the model's chat template."});
    parser.addOption({"system", "With --chat: a system turn before the user turn.", "S"});
    parser.addOption({"n", "Generate at most N tokens (default: until the model stops or the context is full).", "N"});
    addSamplingOptions(parser);
    parser.addOption({"ctx", QStringLiteral("Context length in tokens (default %1, or the model's training context if smaller).")
                                 .arg(kDefaultContext),
                      "N"});
    addBackendOptions(parser);
}

// The prompt as given: text (from --prompt or --prompt-file) or token ids.
struct PromptSource {
    std::optional<std::string> text;
    std::vector<int32_t> tokens;
};

std::optional<PromptSource> readPromptSource(CliIo& io, const QCommandLineParser& parser) {
    const int given = int(parser.isSet("prompt")) + int(parser.isSet("prompt-file")) + int(parser.isSet("tokens"));
    if (given != 1) {
        reportError(io, given == 0 ? "give the prompt with --prompt T, --prompt-file F or --tokens ids."
                                   : "give only one of --prompt, --prompt-file and --tokens.");
        return std::nullopt;
    }
    PromptSource source;
    if (parser.isSet("prompt")) source.text = parser.value("prompt").toStdString();
    if (parser.isSet("prompt-file")) {
        QFile file(parser.value("prompt-file"));
        if (!file.open(QIODevice::ReadOnly)) {
            reportError(io, QStringLiteral("cannot read %1: %2").arg(parser.value("prompt-file"), file.errorString()));
            return std::nullopt;
        }
        source.text = file.readAll().toStdString();
    }
    if (parser.isSet("tokens")) {
        if (parser.isSet("chat")) {
            reportError(io, "--chat needs a text prompt (--prompt or --prompt-file), not --tokens.");
            return std::nullopt;
        }
        for (const QString& part : parser.value("tokens").split(',', Qt::SkipEmptyParts)) {
            bool ok = false;
            const int id = part.trimmed().toInt(&ok);
            if (!ok || id < 0) {
                reportError(io, QStringLiteral("'%1' in --tokens is not a token id.").arg(part));
                return std::nullopt;
            }
            source.tokens.push_back(id);
        }
        if (source.tokens.empty()) {
            reportError(io, "--tokens needs at least one token id, e.g. --tokens 1,2,3.");
            return std::nullopt;
        }
    }
    if (parser.isSet("system") && !parser.isSet("chat")) {
        reportError(io, "--system only applies with --chat.");
        return std::nullopt;
    }
    return source;
}

// --ctx checked against the model's training context, read from the file before anything is loaded.
std::optional<uint32_t> contextLength(CliIo& io, const QCommandLineParser& parser, const QString& path) {
    auto file = GgufFile::open(path.toStdString());
    if (!file) {
        reportError(io, QString::fromStdString(file.error().message));
        return std::nullopt;
    }
    auto summary = summarizeModel(*file);
    if (!summary) {
        reportError(io, QString::fromStdString(summary.error().message));
        return std::nullopt;
    }
    const uint64_t trained = summary->contextLength;
    if (!parser.isSet("ctx")) return trained > 0 ? uint32_t(std::min<uint64_t>(trained, kDefaultContext)) : kDefaultContext;
    const int limit = int(std::min<uint64_t>(trained > 0 ? trained * kContextStretch : 1u << 20, INT_MAX));
    const auto context = integerOption(io, parser, "ctx", 1, limit);
    if (!context) return std::nullopt;
    return uint32_t(*context);
}

Expected<ChatPrompt> buildPrompt(const LoadedModel& model, const PromptSource& source, const QCommandLineParser& parser) {
    if (!source.text) { // --tokens: used as they are
        const size_t vocabulary = model.tokenizer().vocabulary().size();
        for (const int32_t id : source.tokens)
            if (size_t(id) >= vocabulary)
                return fail("token id " + std::to_string(id) + " in --tokens is outside the vocabulary (ids 0 to " +
                            std::to_string(vocabulary - 1) + ").");
        ChatPrompt prompt;
        prompt.tokens = source.tokens;
        prompt.opensReasoning = promptOpensReasoning(model.tokenizer().detokenize(source.tokens), model.thinkingFormat());
        return prompt;
    }
    if (!parser.isSet("chat")) return buildRawPrompt(model, *source.text);
    std::vector<ChatMessage> messages;
    if (parser.isSet("system")) messages.push_back({"system", parser.value("system").toStdString(), std::nullopt});
    messages.push_back({"user", *source.text, std::nullopt});
    return buildChatPrompt(model, messages);
}

QJsonObject replyJson(const Reply& reply) {
    QJsonArray tokens;
    for (const int32_t id : reply.tokens) tokens.append(id);
    return {{"tokens", tokens},
            {"text", QString::fromStdString(reply.text)},
            {"reasoning", QString::fromStdString(reply.reasoning)},
            {"content", QString::fromStdString(reply.content)},
            {"stop", stopName(reply.stop)},
            {"timings", QJsonObject{{"prompt_tokens", reply.promptTokens},
                                    {"prompt_ms", reply.promptMs},
                                    {"gen_tokens", qint64(reply.tokens.size())},
                                    {"gen_ms", reply.generationMs}}}};
}

} // namespace

int runGenerate(CliIo& io) {
    // Installed first so that Ctrl+C during loading also ends in a clean, empty reply.
    const InterruptCancel interrupt;
    QCommandLineParser parser;
    parser.setApplicationDescription("Generate a reply to a prompt. Ctrl+C stops it and prints what was generated.");
    addGenerateOptions(parser);
    addCommonOptions(parser);
    if (!parseArguments(io, parser, 1, 1)) return parser.isSet("help") ? 0 : 1;

    const auto source = readPromptSource(io, parser);
    if (!source) return 1;
    const auto sampling = readSamplingOptions(io, parser);
    if (!sampling) return 1;
    int maxTokens = INT_MAX; // -n left out: until the model stops or the context is full
    if (parser.isSet("n")) {
        bool ok = false;
        maxTokens = parser.value("n").toInt(&ok);
        if (!ok || maxTokens < 0)
            return reportError(io, QStringLiteral("-n must be a whole number of tokens, 0 or more, not '%1'.").arg(parser.value("n")));
    }
    auto loadOptions = readBackendOptions(io, parser);
    if (!loadOptions) return 1;
    const QString path = parser.positionalArguments().at(0);
    const auto context = contextLength(io, parser, path);
    if (!context) return 1;

    loadOptions->contextLength = *context;
    auto model = LoadedModel::load(path.toStdString(), *loadOptions);
    if (!model) return reportError(io, QString::fromStdString(model.error().message));
    const auto prompt = buildPrompt(**model, *source, parser);
    if (!prompt) return reportError(io, QString::fromStdString(prompt.error().message));

    ReplyOptions options;
    options.sampling = sampling->over((*model)->recommendedSampling());
    options.maxTokens = maxTokens;
    options.cancel = interrupt.cancelFlag();
    const bool json = wantsJson(parser);
    GenerationOutput output(io.out, writesToTerminal(io.out));
    Session session((*model)->backend(), (*model)->tokenizer().vocabulary().endOfGeneration());
    const auto reply = generateReply(**model, session, *prompt, options, [&](const ThinkingDelta& delta) {
        if (!json) output.write(delta);
        return true;
    });
    if (!reply) {
        if (output.started()) output.finish(); // stdout stays empty when nothing was generated
        return reportError(io, QString::fromStdString(reply.error().message));
    }
    if (json) return printJson(io, replyJson(*reply));
    output.finish();
    io.err << generationSummary(*reply) << Qt::endl;
    return 0;
}

} // namespace lucent::cli
