// lucent-cli import FILE [--json]: conversations from a Lucent JSON export into the chat
// database — all of them, or on any error none.
#include "app/cli/ChatDatabase.h"
#include "app/cli/CommandTable.h"
#include "storage/ChatExport.h"
#include "storage/ChatStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace lucent::cli {

int runImport(CliIo& io) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Import conversations from a Lucent JSON export (all or nothing).");
    parser.addPositionalArgument("FILE", "A file written by `lucent-cli export --format json`.");
    addCommonOptions(parser);
    if (!parseArguments(io, parser, 1, 1)) return parser.isSet("help") ? 0 : 1;

    const QString path = parser.positionalArguments().at(0);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return reportError(io, QString("cannot read %1: %2").arg(path, file.errorString()));
    const QByteArray text = file.readAll();

    // Read and check the whole file before the database is even opened (or created).
    const std::string source = QFileInfo(path).fileName().toStdString();
    auto trees = parseJsonExport(std::string_view(text.constData(), static_cast<std::size_t>(text.size())), source);
    if (!trees) return reportError(io, QString::fromStdString(trees.error().message));

    const QString databasePath = chatDatabasePath(parser);
    if (!QDir().mkpath(QFileInfo(databasePath).absolutePath()))
        return reportError(io, QString("cannot create the data folder %1.").arg(QFileInfo(databasePath).absolutePath()));
    auto store = ChatStore::open(databasePath.toStdString());
    if (!store) return reportError(io, QString::fromStdString(store.error().message));
    auto created = store->insertTrees(*trees);
    if (!created)
        return reportError(io, QString::fromStdString(source + " was not imported: " + created.error().message));

    if (wantsJson(parser)) {
        QJsonArray ids;
        for (ConversationId id : *created) ids.append(static_cast<qint64>(id));
        return printJson(io, {{"imported", static_cast<qint64>(created->size())}, {"conversation_ids", ids}});
    }
    io.out << "imported " << created->size() << (created->size() == 1 ? " conversation" : " conversations")
           << Qt::endl;
    return 0;
}

} // namespace lucent::cli
