#pragma once
/// @file
/// @brief Options the engine subcommands (logits, bench, generate) share: --backend, --device,
/// --gpu-layers, --vram-budget, --threads, --ctx.

#include "app/cli/CliIo.h"
#include "inference/engine/LoadedModel.h"

#include <memory>
#include <optional>

namespace lucent::cli {

/// @brief Adds --backend, --device, --gpu-layers, --vram-budget, --threads and --ctx to `parser`.
void addEngineOptions(QCommandLineParser& parser, const QString& defaultContext);

/// @brief Adds --backend, --device, --gpu-layers, --vram-budget and --threads (commands with their own --ctx).
void addBackendOptions(QCommandLineParser& parser);

/// @brief The backend options as LoadOptions (contextLength left at its default). Prints the error
/// and returns nothing for an unknown backend, a bad number or size, or --device, --gpu-layers or
/// --vram-budget with the CPU backend.
std::optional<LoadOptions> readBackendOptions(CliIo& io, const QCommandLineParser& parser);

/// @brief Loads MODEL on the backend the options name, with a context of at least `minContext`.
/// Prints the error and returns nothing on failure (bad option, no Vulkan device, bad device
/// index, not enough device memory, unreadable or unsupported model).
std::optional<OpenedBackend> loadEngineModel(CliIo& io, const QCommandLineParser& parser, const QString& path, uint32_t minContext);

/// @brief Parses option `name` as an integer in [min, max]; prints an error and returns nothing
/// otherwise.
std::optional<int> integerOption(CliIo& io, const QCommandLineParser& parser, const QString& name, int min, int max);

/// @brief "6G", "512M", "1.5GiB", "800000000": bytes (K, M, G, T are powers of 1024, with or
/// without "iB"/"B"); nothing for anything else or zero.
std::optional<uint64_t> parseByteSize(const QString& text);

} // namespace lucent::cli
