// lucent-cli export [--conversation ID | --all] [--format json|markdown] [-o FILE] [--json]:
// conversations out of the chat database, as lossless JSON (what `import` reads) or Markdown.
#include "app/cli/ChatDatabase.h"
#include "app/cli/CommandTable.h"
#include "storage/ChatExport.h"
#include "storage/ChatStore.h"

#include <QDir>
#include <QJsonObject>
#include <QSaveFile>

namespace lucent::cli {

int runExport(CliIo& io) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Export conversations as JSON (lossless, importable) or Markdown.");
    parser.addOption({"conversation", "Export only the conversation with this id.", "ID"});
    parser.addOption({"all", "Export every conversation (the default)."});
    parser.addOption({"format", "json (default) or markdown.", "FORMAT", "json"});
    parser.addOption({{"o", "output"}, "Write to FILE instead of stdout.", "FILE"});
    addCommonOptions(parser);
    if (!parseArguments(io, parser, 0, 0)) return parser.isSet("help") ? 0 : 1;

    if (parser.isSet("conversation") && parser.isSet("all"))
        return reportError(io, "--conversation and --all exclude each other; give one.");
    const QString format = parser.value("format");
    if (format != "json" && format != "markdown")
        return reportError(io, QString("unknown format '%1'; use json or markdown.").arg(format));
    std::optional<ConversationId> conversation;
    if (parser.isSet("conversation")) {
        bool ok = false;
        conversation = parser.value("conversation").toLongLong(&ok);
        if (!ok || *conversation <= 0)
            return reportError(io, QString("--conversation needs a conversation id (a positive number), "
                                           "not '%1'.").arg(parser.value("conversation")));
    }
    const QString output = parser.value("output");
    if (wantsJson(parser) && output.isEmpty())
        return reportError(io, "--json needs -o FILE: the export itself would take stdout.");

    StoreOptions options;
    options.createIfMissing = false; // exporting must never create an empty database
    auto store = ChatStore::open(chatDatabasePath(parser).toStdString(), options);
    if (!store) return reportError(io, QString::fromStdString(store.error().message));
    auto text = format == "json" ? exportJson(*store, conversation) : exportMarkdown(*store, conversation);
    if (!text) return reportError(io, QString::fromStdString(text.error().message));
    qint64 count = 1;
    if (!conversation) {
        auto ids = store->conversationIds();
        if (!ids) return reportError(io, QString::fromStdString(ids.error().message));
        count = static_cast<qint64>(ids->size());
    }

    if (output.isEmpty()) {
        io.out << QString::fromStdString(*text);
        io.out.flush();
        return 0;
    }
    QSaveFile file(output); // written aside and renamed: a failed export never leaves half a file
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(text->data(), static_cast<qint64>(text->size())) != static_cast<qint64>(text->size()) ||
        !file.commit())
        return reportError(io, QString("cannot write %1: %2").arg(output, file.errorString()));
    if (wantsJson(parser))
        return printJson(io, {{"conversations", count},
                              {"format", format},
                              {"output", QDir::current().absoluteFilePath(output)},
                              {"bytes", static_cast<qint64>(text->size())}});
    io.out << "exported " << count << (count == 1 ? " conversation" : " conversations") << " to "
           << output << Qt::endl;
    return 0;
}

} // namespace lucent::cli
