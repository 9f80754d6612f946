#pragma once
/// @file
/// @brief Loading a model on a Vulkan device with as many layers there as its free memory holds:
/// the whole model (VulkanModel), a split (HybridModel), or none (CpuModel).

#include "inference/core/Expected.h"
#include "inference/gguf/GgufFile.h"
#include "inference/model/Backend.h"
#include "inference/vulkan/DeviceInfo.h"
#include "inference/vulkan/Kernels.h"
#include "inference/vulkan/StagingUploader.h"
#include "inference/vulkan/VulkanContext.h"

#include <memory>
#include <optional>
#include <string>

namespace lucent {

/// @brief What to load and within which limits.
struct OffloadRequest {
    uint32_t contextLength = 4096;              ///< KV cache positions; 0: the model's training context
    unsigned threads = 0;                       ///< CPU threads for the layers the GPU does not hold
    uint32_t maxBatch = 256;                    ///< prompt tokens per pass
    std::optional<uint32_t> gpuLayers;          ///< forced split; none: as many as fit
    std::optional<uint64_t> vramBudgetBytes;    ///< at most this much device memory; none: what the device has free
    vk::ContextOptions device;                  ///< which GPU, validation
    vk::UploadProgress progress;                ///< called while the weights upload
    vk::KvCacheType kvCache = vk::KvCacheType::F16; ///< the GPU layers' KV cache
};

/// @brief The loaded backend and the split it runs with.
struct OffloadedBackend {
    std::unique_ptr<Backend> backend;
    vk::DeviceInfo device;  ///< the GPU the split was planned for
    uint32_t gpuLayers = 0; ///< 0: all on the CPU; = layers: all on the GPU
    uint32_t layers = 0;
    unsigned cpuThreads = 0; ///< threads of the CPU part (0 when there is none)
};

/// @brief Probes the device `request` names, plans the split (OffloadPlan.h) and loads it from
/// `file` (mapped from `path`, which the split maps a second time for its CPU half). Errors: no
/// such device, a forced split that does not fit (the sentence says how many layers do), anything
/// the chosen backend reports.
Expected<OffloadedBackend> openOffloaded(const std::string& path, GgufFile file, const OffloadRequest& request);

} // namespace lucent
