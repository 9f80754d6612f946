// lucent-cli info MODEL [--json]: what the model file holds.
#include "app/cli/CommandTable.h"
#include "inference/gguf/ModelSummary.h"

#include <QJsonObject>

namespace lucent::cli {

int runInfo(CliIo& io) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Show what a GGUF model file holds.");
    parser.addPositionalArgument("MODEL", "The .gguf file.");
    addCommonOptions(parser);
    if (!parseArguments(io, parser, 1, 1)) return parser.isSet("help") ? 0 : 1;

    auto file = GgufFile::open(parser.positionalArguments().at(0).toStdString());
    if (!file) return reportError(io, QString::fromStdString(file.error().message));
    auto summary = summarizeModel(*file);
    if (!summary) return reportError(io, QString::fromStdString(summary.error().message));

    if (wantsJson(parser)) {
        QJsonObject types;
        for (const auto& [type, count] : summary->tensorTypes) types[QString::fromStdString(type)] = qint64(count);
        return printJson(io, {{"architecture", QString::fromStdString(summary->architecture)},
                              {"n_params", qint64(summary->parameters)},
                              {"n_layer", qint64(summary->layers)},
                              {"n_embd", qint64(summary->embeddingLength)},
                              {"n_ctx_train", qint64(summary->contextLength)},
                              {"file_type", QString::fromStdString(summary->fileType)},
                              {"tensor_types", types},
                              {"chat_template", summary->hasChatTemplate}});
    }
    io.out << "name:          " << QString::fromStdString(summary->name) << "\n"
           << "architecture:  " << QString::fromStdString(summary->architecture) << "\n"
           << "parameters:    " << QLocale::c().toString(qint64(summary->parameters)) << "\n"
           << "layers:        " << summary->layers << "\n"
           << "embedding:     " << summary->embeddingLength << "\n"
           << "context:       " << summary->contextLength << "\n"
           << "file type:     " << QString::fromStdString(summary->fileType) << "\n"
           << "tensor types: ";
    for (const auto& [type, count] : summary->tensorTypes) io.out << " " << QString::fromStdString(type) << "×" << count;
    io.out << "\nchat template: " << (summary->hasChatTemplate ? "yes" : "no") << Qt::endl;
    return 0;
}

} // namespace lucent::cli
