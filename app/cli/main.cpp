// lucent-cli: the command-line face of Lucent. Everything lives in app/cli/ (one file per command).
#include "app/cli/CommandTable.h"

#include <QCoreApplication>
#include <QTextStream>
#include <cstdio>

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("Lucent");
    QCoreApplication::setApplicationVersion(LUCENT_VERSION);
    QTextStream out(stdout);
    QTextStream err(stderr);
    lucent::cli::CliIo io{QCoreApplication::arguments(), out, err};
    return lucent::cli::runCli(io);
}
