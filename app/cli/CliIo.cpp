#include "app/cli/CliIo.h"

#include <QJsonDocument>

namespace lucent::cli {

int reportError(CliIo& io, const QString& message) {
    QString line = message.simplified(); // one line, whatever the message held
    io.err << "error: " << line << Qt::endl;
    return 1;
}

int printJson(CliIo& io, const QJsonObject& object) {
    io.out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) << Qt::endl;
    return 0;
}

void addCommonOptions(QCommandLineParser& parser) {
    parser.addOption({"json", "Print exactly one JSON object on stdout."});
    parser.addOption({"data-dir", "Folder holding lucent.db and models/.", "DIR"});
    parser.addHelpOption();
}

bool parseArguments(CliIo& io, QCommandLineParser& parser, qsizetype minPositional,
                    qsizetype maxPositional) {
    // Drop the program name so the subcommand name plays argv[0] for QCommandLineParser.
    QStringList args = io.arguments.mid(1);
    if (!parser.parse(args)) {
        reportError(io, parser.errorText());
        return false;
    }
    if (parser.isSet("help")) {
        io.out << parser.helpText();
        return false;
    }
    const auto count = parser.positionalArguments().size();
    if (count < minPositional) {
        reportError(io, QStringLiteral("missing argument; see `lucent-cli %1 --help`.")
                            .arg(args.value(0)));
        return false;
    }
    if (count > maxPositional) {
        reportError(io, QStringLiteral("unexpected argument '%1'; see `lucent-cli %2 --help`.")
                            .arg(parser.positionalArguments().value(maxPositional), args.value(0)));
        return false;
    }
    return true;
}

bool wantsJson(const QCommandLineParser& parser) { return parser.isSet("json"); }

} // namespace lucent::cli
