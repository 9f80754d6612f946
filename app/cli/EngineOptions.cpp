#include "app/cli/EngineOptions.h"

#include "inference/gguf/GgufFile.h"

#include <QRegularExpression>
#include <algorithm>

namespace lucent::cli {

void addBackendOptions(QCommandLineParser& parser) {
    parser.addOption({"backend", "cpu, vulkan or auto (a GPU when there is one, else the CPU; default cpu).", "NAME", "cpu"});
    parser.addOption({"device", "Vulkan device index for --backend vulkan (see `lucent-cli devices`; default: the best).", "I"});
    parser.addOption({"gpu-layers", "Layers on the GPU, the rest on the CPU: a number, or auto (as many as fit; default).", "N|auto",
                      "auto"});
    parser.addOption({"vram-budget", "Use at most this much GPU memory, e.g. 6G or 512M (default: what the GPU has free).", "SIZE"});
    parser.addOption({"kv-cache", "KV cache on the GPU: f16, or q8_0 (0.56x the memory, slightly less exact; default f16).", "TYPE", "f16"});
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

std::optional<uint64_t> parseByteSize(const QString& text) {
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*(?:([KMGT])(?:i?B)?|B)?\\s*$"),
                                            QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch()) return std::nullopt;
    const QString unit = match.captured(2).toUpper();
    const int shift = unit.isEmpty() ? 0 : 10 * int(QStringLiteral("KMGT").indexOf(unit) + 1);
    const double bytes = match.captured(1).toDouble() * double(uint64_t(1) << shift);
    if (bytes < 1 || bytes > 1e18) return std::nullopt;
    return uint64_t(bytes);
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
    const bool gpuLayersSet = parser.value("gpu-layers") != "auto";
    if ((gpuLayersSet || parser.isSet("vram-budget")) && options.backend == BackendChoice::Cpu) {
        reportError(io, QStringLiteral("--%1 splits the model between GPU and CPU; it needs --backend vulkan or auto.")
                            .arg(gpuLayersSet ? "gpu-layers" : "vram-budget"));
        return std::nullopt;
    }
    const QString kvCache = parser.value("kv-cache");
    if (kvCache != "f16" && kvCache != "q8_0") {
        reportError(io, QStringLiteral("--kv-cache takes f16 or q8_0, not '%1'.").arg(kvCache));
        return std::nullopt;
    }
    if (kvCache == "q8_0" && options.backend == BackendChoice::Cpu) {
        reportError(io, "--kv-cache q8_0 applies to a GPU's KV cache; it needs --backend vulkan or auto.");
        return std::nullopt;
    }
    options.quantizedKvCache = kvCache == "q8_0";
    if (gpuLayersSet) {
        const auto layers = integerOption(io, parser, "gpu-layers", 0, 100000);
        if (!layers) return std::nullopt;
        options.gpuLayers = uint32_t(*layers);
    }
    if (parser.isSet("vram-budget")) {
        options.vramBudgetBytes = parseByteSize(parser.value("vram-budget"));
        if (!options.vramBudgetBytes) {
            reportError(io, QStringLiteral("--vram-budget must be a size such as 6G, 512M or 800000000, not '%1'.")
                                .arg(parser.value("vram-budget")));
            return std::nullopt;
        }
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
    auto opened = openBackend(path.toStdString(), std::move(*file), *options);
    if (!opened) {
        reportError(io, QString::fromStdString(opened.error().message));
        return std::nullopt;
    }
    return std::move(*opened);
}

} // namespace lucent::cli
