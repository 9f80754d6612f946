#pragma once
/// @file
/// @brief Options the engine subcommands (logits, bench) share: --backend, --threads, --ctx.

#include "app/cli/CliIo.h"
#include "inference/cpu/CpuModel.h"

#include <memory>
#include <optional>

namespace lucent::cli {

/// @brief Adds --backend, --threads and --ctx to `parser`.
void addEngineOptions(QCommandLineParser& parser, const QString& defaultContext);

/// @brief Loads MODEL on the backend the options name. Prints the error and returns null on
/// failure (unknown backend, bad number, unreadable or unsupported model).
std::unique_ptr<CpuModel> loadEngineModel(CliIo& io, const QCommandLineParser& parser, const QString& path, uint32_t minContext);

/// @brief Parses option `name` as an integer in [min, max]; prints an error and returns nothing
/// otherwise.
std::optional<int> integerOption(CliIo& io, const QCommandLineParser& parser, const QString& name, int min, int max);

} // namespace lucent::cli
