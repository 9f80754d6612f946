#include "app/cli/EngineOptions.h"

#include "inference/gguf/GgufFile.h"

#include <algorithm>

namespace lucent::cli {

void addBackendOptions(QCommandLineParser& parser) {
    parser.addOption({"backend", "cpu, vulkan or auto (a GPU when there is one, else the CPU; default cpu).", "NAME", "cpu"});
    parser.addOption({"device", "Vulkan device index for --backend vulkan (see `lucent-cli devices`; default: the best).", "I"});
    parser.addOption({"threads", "CPU threads (default: all).", "N", "0"});
}

void addEngineOptions(QCommandLineParser& parser, const QString& defaultContext) {
    addBackendOptions(parser);
    parser.addOption({"ctx", "Context length in tokens (0: what the command needs).", "N", defaultContext});
}

std::optional<int> integerOption(CliIo& io, const QCommandLineParser& parser, const QString& name, int min, int max) {
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < min || value > max) {
        reportError(io, QStringLiteral("--%1 must be a whole number from %2 to %3, not '%4'.").arg(name).arg(min).arg(max).arg(parser.value(name)));
        return std::nullopt;
    }
    return value;
}

std::optional<LoadOptions> readBackendOptions(CliIo& io, const QCommandLineParser& parser) {
    LoadOptions options;
    const QString backend = parser.value("backend");
    if (backend == "cpu") options.backend = BackendChoice::Cpu;
    else if (backend == "vulkan") options.backend = BackendChoice::Vulkan;
    else if (backend == "auto") options.backend = BackendChoice::Auto;
    else {
        reportError(io, QStringLiteral("unknown backend '%1'; use cpu, vulkan or auto.").arg(backend));
        return std::nullopt;
    }
    if (parser.isSet("device")) {
        if (options.backend != BackendChoice::Vulkan) {
            reportError(io, "--device picks a GPU and only applies with --backend vulkan.");
            return std::nullopt;
        }
        const auto device = integerOption(io, parser, "device", 0, 255);
        if (!device) return std::nullopt;
        options.device = *device;
    }
    const auto threads = integerOption(io, parser, "threads", 0, 1024);
    if (!threads) return std::nullopt;
    options.threads = unsigned(*threads);
    // LUCENT_VULKAN_VALIDATION=1 turns the layers on without an option (VulkanInstance reads it).
    return options;
}

std::optional<OpenedBackend> loadEngineModel(CliIo& io, const QCommandLineParser& parser, const QString& path, uint32_t minContext) {
    auto options = readBackendOptions(io, parser);
    const auto context = integerOption(io, parser, "ctx", 0, 1 << 24); // 0: just what the command needs
    if (!options || !context) return std::nullopt;
    options->contextLength = std::max(uint32_t(*context), minContext);
    auto file = GgufFile::open(path.toStdString());
    if (!file) {
        reportError(io, QString::fromStdString(file.error().message));
        return std::nullopt;
    }
    auto opened = openBackend(std::move(*file), *options);
    if (!opened) {
        reportError(io, QString::fromStdString(opened.error().message));
        return std::nullopt;
    }
    return std::move(*opened);
}

} // namespace lucent::cli
