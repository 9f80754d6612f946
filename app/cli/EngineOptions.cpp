#include "app/cli/EngineOptions.h"

#include <algorithm>

namespace lucent::cli {

void addEngineOptions(QCommandLineParser& parser, const QString& defaultContext) {
    parser.addOption({"backend", "cpu or vulkan (default cpu).", "NAME", "cpu"});
    parser.addOption({"threads", "CPU threads (default: all).", "N", "0"});
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

std::unique_ptr<CpuModel> loadEngineModel(CliIo& io, const QCommandLineParser& parser, const QString& path, uint32_t minContext) {
    const QString backend = parser.value("backend");
    if (backend == "vulkan") {
        reportError(io, "the Vulkan backend is not available in this build; use --backend cpu.");
        return nullptr;
    }
    if (backend != "cpu") {
        reportError(io, QStringLiteral("unknown backend '%1'; use cpu or vulkan.").arg(backend));
        return nullptr;
    }
    const auto threads = integerOption(io, parser, "threads", 0, 1024);
    const auto context = integerOption(io, parser, "ctx", 0, 1 << 24); // 0: just what the command needs
    if (!threads || !context) return nullptr;
    CpuModelOptions options;
    options.threads = unsigned(*threads);
    options.contextLength = std::max(uint32_t(*context), minContext);
    auto model = CpuModel::open(path.toStdString(), options);
    if (!model) {
        reportError(io, QString::fromStdString(model.error().message));
        return nullptr;
    }
    return std::move(*model);
}

} // namespace lucent::cli
