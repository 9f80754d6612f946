// lucent-cli template MODEL --messages F.json [--no-generation-prompt] [--json]: the model's chat
// template rendered for a conversation, exactly the text the model would be prompted with.
#include "app/cli/CommandTable.h"
#include "inference/chat/ModelChatTemplate.h"
#include "inference/gguf/GgufFile.h"

#include <QFile>

namespace lucent::cli {

int runTemplate(CliIo& io) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Render the model's chat template for a conversation.");
    parser.addPositionalArgument("MODEL", "The .gguf file.");
    parser.addOption({"messages", "JSON list of {\"role\": …, \"content\": …} messages.", "F.json"});
    parser.addOption({"no-generation-prompt", "Do not open the assistant's turn at the end."});
    addCommonOptions(parser);
    if (!parseArguments(io, parser, 1, 1)) return parser.isSet("help") ? 0 : 1;
    if (!parser.isSet("messages")) return reportError(io, "--messages F.json is required (a JSON list of messages).");

    QFile messagesFile(parser.value("messages"));
    if (!messagesFile.open(QIODevice::ReadOnly))
        return reportError(io, QStringLiteral("cannot read %1: %2").arg(parser.value("messages"), messagesFile.errorString()));
    const QByteArray messages = messagesFile.readAll();

    auto file = GgufFile::open(parser.positionalArguments().at(0).toStdString());
    if (!file) return reportError(io, QString::fromStdString(file.error().message));
    auto modelTemplate = chatTemplateFromGguf(*file);
    if (!modelTemplate) return reportError(io, QString::fromStdString(modelTemplate.error().message));

    ChatTemplateOptions options = modelTemplate->options();
    options.addGenerationPrompt = !parser.isSet("no-generation-prompt");
    auto text = modelTemplate->chatTemplate.renderJson(std::string_view(messages.constData(), size_t(messages.size())), options);
    if (!text) return reportError(io, parser.value("messages") + ": " + QString::fromStdString(text.error().message));

    if (wantsJson(parser)) return printJson(io, {{"text", QString::fromStdString(*text)}});
    io.out << QString::fromStdString(*text);
    io.out.flush();
    return 0;
}

} // namespace lucent::cli
