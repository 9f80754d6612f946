#pragma once
/// @file
/// @brief What the Vulkan tests share: a device opened with validation on (lavapipe here), host
/// buffers in and out, and the largest-difference report every kernel test prints.

#include "inference/vulkan/ComputeBatch.h"
#include "inference/vulkan/DeviceBuffer.h"
#include "inference/vulkan/PipelineCache.h"
#include "inference/vulkan/VulkanContext.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace lucent::vk::test {

/// @brief An open device with its pipelines and one batch.
struct TestGpu {
    std::unique_ptr<VulkanContext> context;
    std::unique_ptr<PipelineCache> pipelines;
    std::unique_ptr<ComputeBatch> batch;

    /// @brief Opens the preferred device with validation layers on; null (and a message in
    /// `error`) when there is none.
    static std::unique_ptr<TestGpu> open(std::string& error, ContextOptions options = {});
    ~TestGpu();

    /// @brief A host-visible buffer holding `data` (or `bytes` zero bytes).
    std::unique_ptr<DeviceBuffer> upload(std::span<const uint8_t> data);
    std::unique_ptr<DeviceBuffer> upload(std::span<const float> data);
    std::unique_ptr<DeviceBuffer> zeros(uint64_t bytes);
    /// @brief A host-visible buffer holding one uint32: the position RoPE and attention read.
    std::unique_ptr<DeviceBuffer> position(uint32_t pos0);
};

/// @brief The first `count` floats of a host-visible buffer.
std::vector<float> readFloats(const DeviceBuffer& buffer, size_t count);

/// @brief Largest |a−b| and the normalized mean squared error Σ(a−b)²/Σb² (ggml's NMSE).
struct Difference {
    double maxAbs = 0.0;
    double nmse = 0.0;
    size_t worst = 0;
};
Difference compare(std::span<const float> gpu, std::span<const float> cpu);

/// @brief Uniform random floats in [lo, hi) from a fixed seed.
std::vector<float> randomFloats(size_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f);

} // namespace lucent::vk::test
