#pragma once
/// @file
/// @brief Where each weight tensor goes in device memory, worked out before anything is allocated.
///
/// Tensors are packed into chunks of at most MemoryLimits::maxAllocationBytes. A tensor whose
/// bytes exceed one descriptor's range (maxStorageBufferRange: 128 MiB on lavapipe, where a 1.5B
/// model's LM head is 191 MB) is split into slices of whole rows, each bound on its own; every
/// slice starts at a multiple of the binding alignment and is bound as a whole number of 32-bit
/// words (shaders read weights as words). Kernels run once per slice.

#include "inference/core/Expected.h"
#include "inference/quant/TensorType.h"
#include "inference/vulkan/VulkanContext.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace lucent::vk {

/// @brief A matrix to place: `rows` rows of `cols` weights of `type`.
struct TensorShape {
    std::string name; ///< for messages
    TensorType type = TensorType::F32;
    uint64_t cols = 0;
    uint64_t rows = 0;
};

/// @brief Rows [firstRow, firstRow + rowCount) of a tensor at `offset` in chunk `chunk`.
struct SlicePlacement {
    size_t chunk = 0;
    uint64_t offset = 0;
    uint64_t firstRow = 0;
    uint64_t rowCount = 0;
};

/// @brief The plan: chunk sizes, and the slices of each tensor in request order.
struct PlacementPlan {
    std::vector<uint64_t> chunkBytes;
    std::vector<std::vector<SlicePlacement>> slices; ///< per tensor
    uint64_t totalBytes() const;
};

/// @brief Packs `tensors` within `limits`. Errors: a single row longer than one binding.
Expected<PlacementPlan> planPlacement(std::span<const TensorShape> tensors, const MemoryLimits& limits);

/// @brief Fails with "needs X … has Y" when `bytes` exceed what the device's largest device-local
/// heap offers (its VK_EXT_memory_budget budget where known).
Expected<void> checkDeviceMemory(const DeviceInfo& device, uint64_t bytes);

} // namespace lucent::vk
