#pragma once
/// @file
/// @brief The list of lucent-cli subcommands and the dispatcher main() calls.

#include "app/cli/CliIo.h"

namespace lucent::cli {

/// @brief One subcommand: its name, a one-line summary for `--help`, and its entry point.
struct Command {
    const char* name;
    const char* summary;
    int (*run)(CliIo& io); ///< io.arguments = {program, name, args…}; returns the exit code
};

/// @brief Runs the subcommand named by io.arguments[1] (or --version / --help); returns the exit code.
int runCli(CliIo& io);

// Subcommand entry points, one file each.
int runBench(CliIo& io);
int runExport(CliIo& io);
int runGenerate(CliIo& io);
int runImport(CliIo& io);
int runInfo(CliIo& io);
int runLogits(CliIo& io);
int runTemplate(CliIo& io);
int runTokenize(CliIo& io);
int runVersion(CliIo& io);

} // namespace lucent::cli
