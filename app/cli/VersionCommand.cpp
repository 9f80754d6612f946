#include "app/cli/CommandTable.h"

namespace lucent::cli {

int runVersion(CliIo& io) {
    // `lucent-cli --version` arrives here with "--version" as the command name; parse only the rest.
    if (io.arguments.value(1) != QLatin1String("--version")) {
        QCommandLineParser parser;
        parser.setApplicationDescription("Print the version.");
        addCommonOptions(parser);
        if (!parseArguments(io, parser, 0, 0)) return parser.isSet("help") ? 0 : 1;
    }
    io.out << "lucent " << LUCENT_VERSION << Qt::endl;
    return 0;
}

} // namespace lucent::cli
