#include "app/cli/CommandTable.h"

#include <array>

namespace lucent::cli {

int runDevices(CliIo& io); // DevicesCommand.cpp
int runPull(CliIo& io);    // PullCommand.cpp

namespace {

constexpr std::array kCommands = {
    Command{"bench", "Measure prompt and generation speed.", runBench},
    Command{"devices", "List the Vulkan devices Lucent can run on.", runDevices},
    Command{"export", "Export conversations as JSON or Markdown.", runExport},
    Command{"generate", "Generate a reply to a prompt.", runGenerate},
    Command{"import", "Import conversations from a JSON export.", runImport},
    Command{"info", "Show what a GGUF model file holds.", runInfo},
    Command{"logits", "Print the logits after a sequence of token ids.", runLogits},
    Command{"pull", "Download a model (catalog id, owner/repo/file.gguf or URL), resumably.", runPull},
    Command{"template", "Render the model's chat template for a conversation.", runTemplate},
    Command{"tokenize", "Print the token ids of a text.", runTokenize},
    Command{"version", "Print the version.", runVersion},
};

void printUsage(QTextStream& stream) {
    stream << "usage: lucent-cli [--version] <command> [options]\n\ncommands:\n";
    for (const auto& command : kCommands)
        stream << "  " << QString::fromLatin1(command.name).leftJustified(10) << command.summary
               << "\n";
    stream << "\nRun `lucent-cli <command> --help` for a command's options.\n";
    stream.flush();
}

} // namespace

int runCli(CliIo& io) {
    const QString first = io.arguments.value(1);
    if (first.isEmpty() || first == "--help" || first == "-h") {
        printUsage(first.isEmpty() ? io.err : io.out);
        return first.isEmpty() ? 2 : 0;
    }
    if (first == "--version") return runVersion(io);
    for (const auto& command : kCommands)
        if (first == QLatin1String(command.name)) return command.run(io);
    return reportError(io, QStringLiteral("unknown command '%1'; run `lucent-cli --help` for the list.")
                               .arg(first));
}

} // namespace lucent::cli
