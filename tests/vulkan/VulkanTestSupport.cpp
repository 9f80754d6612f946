#include "tests/vulkan/VulkanTestSupport.h"

#include <cmath>
#include <cstring>
#include <random>

namespace lucent::vk::test {

std::unique_ptr<TestGpu> TestGpu::open(std::string& error, ContextOptions options) {
    options.instance.validation = true;
    auto context = VulkanContext::create(options);
    if (!context) {
        error = context.error().message;
        return nullptr;
    }
    auto gpu = std::make_unique<TestGpu>();
    gpu->context = std::move(*context);
    gpu->pipelines = std::make_unique<PipelineCache>(*gpu->context);
    auto batch = ComputeBatch::create(*gpu->context, *gpu->pipelines);
    if (!batch) {
        error = batch.error().message;
        return nullptr;
    }
    gpu->batch = std::move(*batch);
    return gpu;
}

TestGpu::~TestGpu() {
    // objects that borrow the device go first
    batch.reset();
    pipelines.reset();
}

std::unique_ptr<DeviceBuffer> TestGpu::upload(std::span<const uint8_t> data) {
    auto buffer = DeviceBuffer::create(*context, std::max<uint64_t>(data.size(), 4), MemoryUse::Upload);
    if (!buffer) return nullptr;
    std::memcpy((*buffer)->mapped(), data.data(), data.size());
    return std::move(*buffer);
}

std::unique_ptr<DeviceBuffer> TestGpu::upload(std::span<const float> data) {
    return upload(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size_bytes()));
}

std::unique_ptr<DeviceBuffer> TestGpu::zeros(uint64_t bytes) { return upload(std::vector<uint8_t>(bytes)); }

std::unique_ptr<DeviceBuffer> TestGpu::position(uint32_t pos0) {
    return upload(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&pos0), sizeof pos0));
}

std::vector<float> readFloats(const DeviceBuffer& buffer, size_t count) {
    std::vector<float> values(count);
    std::memcpy(values.data(), buffer.mapped(), count * sizeof(float));
    return values;
}

Difference compare(std::span<const float> gpu, std::span<const float> cpu) {
    Difference d;
    double squaredError = 0.0, squaredReference = 0.0;
    for (size_t i = 0; i < cpu.size(); ++i) {
        const double diff = std::abs(double(gpu[i]) - double(cpu[i]));
        if (!(diff <= d.maxAbs)) { // also catches NaN
            d.maxAbs = std::isnan(diff) ? INFINITY : diff;
            d.worst = i;
        }
        squaredError += diff * diff;
        squaredReference += double(cpu[i]) * double(cpu[i]);
    }
    d.nmse = squaredReference > 0 ? squaredError / squaredReference : squaredError;
    if (std::isnan(d.nmse)) d.nmse = INFINITY;
    return d;
}

std::vector<float> randomFloats(size_t n, uint32_t seed, float lo, float hi) {
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> uniform(lo, hi);
    std::vector<float> values(n);
    for (float& v : values) v = uniform(random);
    return values;
}

} // namespace lucent::vk::test
