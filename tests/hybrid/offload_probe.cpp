// lucent_offload_probe MODEL [BUDGET_BYTES]: a by-hand check of partial offload on a real GPU (Qt-free,
// so it runs on a machine without Qt). Prints each device's heaps as VK_EXT_memory_budget reports
// them and the memory the planner would use, loads MODEL with the `auto` backend (capped at
// BUDGET_BYTES when given), and compares its logits after a prompt and a few greedy steps with
// the CPU backend's. Exit code 0 when the greedy tokens agree and the NMSE is below 5e-3.
#include "inference/cpu/CpuModel.h"
#include "inference/engine/LoadedModel.h"
#include "inference/hybrid/OffloadPlan.h"
#include "inference/vulkan/DeviceList.h"
#include "inference/vulkan/VulkanInstance.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace lucent;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s MODEL [BUDGET_BYTES]\n", argv[0]);
        return 2;
    }
    const std::string path = argv[1];
    auto instance = vk::VulkanInstance::create({});
    if (instance) {
        for (const vk::DeviceInfo& device : vk::listDevices(**instance)) {
            std::printf("%s (%s), VK_EXT_memory_budget %s\n", device.name.c_str(), std::string(vk::deviceKindName(device.kind)).c_str(),
                        device.caps.memoryBudget ? "yes" : "no");
            for (const vk::MemoryHeap& heap : device.caps.heaps)
                std::printf("  heap %s: size %llu, budget %llu, usage %llu\n", heap.deviceLocal ? "device-local" : "host",
                            (unsigned long long)heap.bytes, (unsigned long long)heap.budgetBytes, (unsigned long long)heap.usageBytes);
            const DeviceMemory memory = plannableMemory(device, std::nullopt);
            std::printf("  plannable %llu (margin %llu)\n", (unsigned long long)memory.freeBytes, (unsigned long long)memory.marginBytes);
        }
    }
    LoadOptions options;
    options.backend = BackendChoice::Auto;
    options.contextLength = 64;
    if (argc > 2) options.vramBudgetBytes = std::strtoull(argv[2], nullptr, 10);
    auto file = GgufFile::open(path);
    if (!file) return std::fprintf(stderr, "%s\n", file.error().message.c_str()), 1;
    auto opened = openBackend(path, std::move(*file), options);
    if (!opened) return std::fprintf(stderr, "%s\n", opened.error().message.c_str()), 1;
    std::printf("auto: %s, gpuLayers %u\n", opened->device.c_str(), opened->gpuLayers);
    auto cpu = CpuModel::open(path, {64, 0, 256});
    if (!cpu) return std::fprintf(stderr, "%s\n", cpu.error().message.c_str()), 1;

    const uint32_t vocab = (*cpu)->config().nVocab;
    std::vector<float> a(vocab), b(vocab);
    std::vector<int32_t> prompt;
    for (int i = 0; i < 9; ++i) prompt.push_back(int32_t((i * 7919 + 13) % vocab));
    bool ok = opened->backend->eval(prompt, 0, a.data()) && (*cpu)->eval(prompt, 0, b.data());
    int pos = int(prompt.size());
    double worst = 0;
    for (int step = 0; ok && step < 8; ++step, ++pos) {
        double diff = 0, norm = 0;
        for (uint32_t i = 0; i < vocab; ++i) diff += double(a[i] - b[i]) * (a[i] - b[i]), norm += double(b[i]) * b[i];
        worst = std::max(worst, diff / norm);
        const int32_t next = int32_t(std::max_element(b.begin(), b.end()) - b.begin());
        const int32_t mine = int32_t(std::max_element(a.begin(), a.end()) - a.begin());
        std::printf("step %d: NMSE %.3g, argmax %d (CPU %d)\n", step, diff / norm, mine, next);
        ok = ok && mine == next;
        const int32_t token[] = {next};
        ok = ok && opened->backend->eval(token, pos, a.data()) && (*cpu)->eval(token, pos, b.data());
    }
    ok = ok && worst < 5e-3;
    std::printf("%s\n", ok ? "OK" : "MISMATCH");
    return ok ? 0 : 1;
}
