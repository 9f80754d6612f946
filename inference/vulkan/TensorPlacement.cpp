#include "inference/vulkan/TensorPlacement.h"

#include "inference/vulkan/DeviceBuffer.h"

#include <algorithm>

namespace lucent::vk {
namespace {

uint64_t alignUp(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

} // namespace

uint64_t PlacementPlan::totalBytes() const {
    uint64_t total = 0;
    for (uint64_t bytes : chunkBytes) total += bytes;
    return total;
}

Expected<PlacementPlan> planPlacement(std::span<const TensorShape> tensors, const MemoryLimits& limits) {
    PlacementPlan plan;
    // The mat-vec kernel reads weights 16 bytes at a time (uvec4), so a binding covers whole
    // 16-byte words: a slice's range is rounded up to 16 bytes (padding that stays in the chunk).
    const uint64_t sliceLimit = std::min(limits.maxBindingBytes, limits.maxAllocationBytes) / kSlicePadding * kSlicePadding;
    for (const TensorShape& tensor : tensors) {
        const uint64_t rowSize = rowBytes(tensor.type, tensor.cols);
        if (rowSize == 0 || rowSize > sliceLimit)
            return fail("Tensor '" + tensor.name + "' has rows of " + formatBytes(rowSize) + ", more than this GPU can bind at once (" +
                        formatBytes(sliceLimit) + ").");
        std::vector<SlicePlacement> slices;
        uint64_t row = 0;
        while (row < tensor.rows) {
            // the next slice: as many rows as fit in one binding and in the current chunk's room
            if (plan.chunkBytes.empty()) plan.chunkBytes.push_back(0);
            uint64_t offset = alignUp(plan.chunkBytes.back(), limits.bindingAlignment);
            uint64_t room = offset < limits.maxAllocationBytes ? (limits.maxAllocationBytes - offset) / kSlicePadding * kSlicePadding : 0;
            if (room < rowSize) {
                plan.chunkBytes.push_back(0);
                offset = 0;
                room = limits.maxAllocationBytes;
            }
            const uint64_t rows = std::min({tensor.rows - row, sliceLimit / rowSize, room / rowSize});
            slices.push_back({plan.chunkBytes.size() - 1, offset, row, rows});
            plan.chunkBytes.back() = offset + alignUp(rows * rowSize, kSlicePadding);
            row += rows;
        }
        plan.slices.push_back(std::move(slices));
    }
    return plan;
}

Expected<void> checkDeviceMemory(const DeviceInfo& device, uint64_t bytes) {
    uint64_t available = 0;
    for (const MemoryHeap& heap : device.caps.heaps)
        if (heap.deviceLocal) available = std::max(available, heap.budgetBytes);
    if (bytes > available)
        return fail("Not enough GPU memory: this needs " + formatBytes(bytes) + " but " + device.name + " has " + formatBytes(available) +
                    ". Choose a smaller model or a shorter context, or use the CPU backend.");
    return {};
}

} // namespace lucent::vk
