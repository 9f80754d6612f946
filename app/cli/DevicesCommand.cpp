// lucent-cli devices [--json]: the Vulkan devices Lucent can use, in the order it prefers them;
// the index is what --device takes.
#include "app/cli/CommandTable.h"
#include "inference/vulkan/DeviceBuffer.h"
#include "inference/vulkan/DeviceList.h"
#include "inference/vulkan/VulkanInstance.h"

#include <QJsonArray>
#include <QJsonObject>

namespace lucent::cli {

int runDevices(CliIo& io) {
    QCommandLineParser parser;
    parser.setApplicationDescription("List the Vulkan devices Lucent can run on (use the index with --device).");
    addCommonOptions(parser);
    if (!parseArguments(io, parser, 0, 0)) return parser.isSet("help") ? 0 : 1;

    auto instance = vk::VulkanInstance::create({});
    if (!instance) return reportError(io, QString::fromStdString(instance.error().message));
    const std::vector<vk::DeviceInfo> devices = vk::listDevices(**instance);
    const auto chosen = vk::chooseDevice(devices, std::nullopt);

    if (wantsJson(parser)) {
        QJsonArray list;
        for (size_t i = 0; i < devices.size(); ++i)
            list.append(QJsonObject{{"index", qint64(i)},
                                    {"name", QString::fromStdString(devices[i].name)},
                                    {"type", QString::fromLatin1(vk::deviceKindName(devices[i].kind).data())},
                                    {"vram_bytes", qint64(devices[i].vramBytes)}});
        return printJson(io, {{"devices", list}});
    }
    if (devices.empty()) {
        io.out << "No Vulkan device found; Lucent will use the CPU backend.\n";
        return 0;
    }
    for (size_t i = 0; i < devices.size(); ++i) {
        const vk::DeviceInfo& d = devices[i];
        io.out << (chosen && *chosen == i ? "* " : "  ") << i << "  " << QString::fromStdString(d.name) << "  ("
               << QString::fromLatin1(vk::deviceKindName(d.kind).data()) << ", " << QString::fromStdString(vk::formatBytes(d.vramBytes))
               << ")";
        if (!d.supported()) io.out << "  unusable: " << QString::fromStdString(d.unsupportedReason);
        io.out << "\n";
    }
    io.out << "* = used by default";
    if (chosen && devices[*chosen].kind == vk::DeviceKind::Cpu)
        io.out << " (only a CPU Vulkan device is present: Lucent's own CPU backend is faster)";
    io.out << "\n";
    return 0;
}

} // namespace lucent::cli
