#pragma once
/// @file
/// @brief What every lucent-cli subcommand shares: its arguments, output streams, the one-line
/// `error: …` convention and single-object JSON output.

#include <QCommandLineParser>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTextStream>

namespace lucent::cli {

/// @brief Streams and arguments of one invocation. Tests build one over string buffers.
struct CliIo {
    QStringList arguments; ///< program name, subcommand, then its arguments
    QTextStream& out;
    QTextStream& err;
};

/// @brief Prints "error: <message>" on one line to stderr; returns the failing exit code (1).
int reportError(CliIo& io, const QString& message);

/// @brief Prints exactly one compact JSON object and a newline on stdout; returns 0.
int printJson(CliIo& io, const QJsonObject& object);

/// @brief Adds the options every subcommand takes: --json, --data-dir, --help.
void addCommonOptions(QCommandLineParser& parser);

/// @brief Parses `io.arguments` (from the subcommand on). Returns false after printing an error
/// for unknown options or a wrong number of positional arguments (min..max).
bool parseArguments(CliIo& io, QCommandLineParser& parser, qsizetype minPositional,
                    qsizetype maxPositional);

/// @brief True when --json was given.
bool wantsJson(const QCommandLineParser& parser);

} // namespace lucent::cli
