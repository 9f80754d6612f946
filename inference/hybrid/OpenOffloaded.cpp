#include "inference/hybrid/OpenOffloaded.h"

#include "inference/cpu/CpuModel.h"
#include "inference/hybrid/HybridModel.h"
#include "inference/hybrid/OffloadPlan.h"
#include "inference/vulkan/DeviceList.h"
#include "inference/vulkan/VulkanInstance.h"
#include "inference/vulkan/VulkanModel.h"

namespace lucent {
namespace {

/// The device VulkanModel will open, probed now (its budget and usage are read at this moment).
Expected<vk::DeviceInfo> probeChosenDevice(const vk::ContextOptions& options) {
    auto instance = vk::VulkanInstance::create(options.instance);
    if (!instance) return fail(instance.error());
    std::vector<vk::DeviceInfo> devices = vk::listDevices(**instance);
    auto chosen = vk::chooseDevice(devices, options.device);
    if (!chosen) return fail(chosen.error());
    return devices[*chosen];
}

} // namespace

Expected<OffloadedBackend> openOffloaded(const std::string& path, GgufFile file, const OffloadRequest& request) {
    auto config = readModelConfig(file);
    if (!config) return fail(config.error());
    auto weights = loadModelWeights(file, *config);
    if (!weights) return fail(weights.error());
    auto device = probeChosenDevice(request.device);
    if (!device) return fail(device.error());

    const uint32_t context = request.contextLength ? request.contextLength : config->nCtxTrain;
    if (auto binds = checkContextBinds(*config, context, *device, request.kvCache); !binds) return fail(binds.error());
    const OffloadNeeds needs = offloadNeeds(*config, *weights, context, request.maxBatch, bindingAlignmentOf(*device), request.kvCache);
    const DeviceMemory memory = plannableMemory(*device, request.vramBudgetBytes);
    auto gpuLayers = chooseGpuLayers(needs, memory, request.gpuLayers, device->name);
    if (!gpuLayers) return fail(gpuLayers.error());

    OffloadedBackend result;
    result.device = *device;
    result.gpuLayers = *gpuLayers;
    result.layers = config->nLayer;
    if (*gpuLayers == config->nLayer) { // the whole model fits
        vk::VulkanModelOptions gpu;
        gpu.contextLength = context;
        gpu.maxBatch = request.maxBatch;
        gpu.kvCache = request.kvCache;
        gpu.device = request.device;
        gpu.progress = request.progress;
        auto model = vk::VulkanModel::create(std::move(file), gpu);
        if (!model) return fail(model.error());
        result.backend = std::move(*model);
        return result;
    }
    if (*gpuLayers == 0) { // not even one layer fits: the CPU runs it all
        CpuModelOptions cpu;
        cpu.contextLength = context;
        cpu.threads = request.threads;
        cpu.maxBatch = request.maxBatch;
        auto model = CpuModel::create(std::move(file), cpu);
        if (!model) return fail(model.error());
        result.cpuThreads = (*model)->threads();
        result.backend = std::move(*model);
        return result;
    }
    auto cpuFile = GgufFile::open(path);
    if (!cpuFile) return fail(cpuFile.error());
    HybridOptions split;
    split.gpuLayers = *gpuLayers;
    split.contextLength = context;
    split.threads = request.threads;
    split.maxBatch = request.maxBatch;
    split.kvCache = request.kvCache;
    split.device = request.device;
    split.progress = request.progress;
    auto model = HybridModel::create(std::move(file), std::move(*cpuFile), split);
    if (!model) return fail(model.error());
    result.cpuThreads = (*model)->cpu().threads();
    result.backend = std::move(*model);
    return result;
}

} // namespace lucent
