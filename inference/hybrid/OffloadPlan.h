#pragma once
/// @file
/// @brief How many layers of a model fit on a GPU: the device bytes each part needs at a given
/// context length, the memory the device has free, and the largest split that fits.
///
/// A GPU stage running layers [0, n) holds the token embedding, those layers' weights and KV
/// cache, and its run buffers; the stage that runs every layer also holds the output norm and the
/// LM head. The CPU runs the rest from the mapped file, so its share costs no device memory.

#include "inference/core/Expected.h"
#include "inference/model/ModelConfig.h"
#include "inference/model/ModelWeights.h"
#include "inference/vulkan/DeviceInfo.h"
#include "inference/vulkan/Kernels.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lucent {

/// @brief Device bytes of a model's parts at one context length and batch size.
struct OffloadNeeds {
    uint64_t sharedBytes = 0;             ///< token embedding and run buffers: any GPU stage has them
    std::vector<uint64_t> layerBytes;     ///< per layer: its weights and its K and V cache
    uint64_t headBytes = 0;               ///< output norm, LM head, logits: only when every layer is on the GPU
    /// @brief Device bytes to run the first `gpuLayers` layers there (0: none; all: the whole model).
    uint64_t bytesFor(uint32_t gpuLayers) const;
    uint32_t layers() const { return uint32_t(layerBytes.size()); }
};

/// @brief What `weights` need on a device whose storage-buffer offsets align to `bindingAlignment`,
/// with a KV cache of `contextLength` positions and prompt batches of `maxBatch` tokens. The
/// figures round the way VulkanModel allocates (every tensor on an aligned offset).
OffloadNeeds offloadNeeds(const ModelConfig& config, const ModelWeights& weights, uint32_t contextLength, uint32_t maxBatch,
                          uint64_t bindingAlignment, vk::KvCacheType kvCache = vk::KvCacheType::F16);

/// @brief The binding alignment VulkanModel will use on `device`.
uint64_t bindingAlignmentOf(const vk::DeviceInfo& device);

/// @brief Device memory Lucent plans with, and where the figure comes from.
struct DeviceMemory {
    uint64_t freeBytes = 0;   ///< budget − usage of the largest device-local heap, less the margin, within the cap
    uint64_t marginBytes = 0; ///< held back from what the driver reports
    bool capped = false;      ///< the user's budget is the limit
};

/// @brief What `device` offers this process: budget − usage of its largest device-local heap
/// (VK_EXT_memory_budget; the heap's size without it), less a safety margin, and at most `capBytes`
/// when the user gave a budget (a cap is taken as it is: it is the user's word for what to use).
DeviceMemory plannableMemory(const vk::DeviceInfo& device, std::optional<uint64_t> capBytes);

/// @brief Fails, as VulkanModel would, when one layer's K or V cache of `contextLength` positions is
/// more than `device` can bind at once: then no split helps, only a shorter context.
Expected<void> checkContextBinds(const ModelConfig& config, uint32_t contextLength, const vk::DeviceInfo& device,
                                 vk::KvCacheType kvCache = vk::KvCacheType::F16);

/// @brief The largest n ≤ needs.layers() with bytesFor(n) ≤ freeBytes (0: not even one layer).
uint32_t largestFit(const OffloadNeeds& needs, uint64_t freeBytes);

/// @brief The split to load: `forced` when given (errors: more layers than the model has, or than
/// fit in `memory` on `deviceName`, naming how many do), otherwise largestFit().
Expected<uint32_t> chooseGpuLayers(const OffloadNeeds& needs, const DeviceMemory& memory, std::optional<uint32_t> forced,
                                   const std::string& deviceName);

} // namespace lucent
