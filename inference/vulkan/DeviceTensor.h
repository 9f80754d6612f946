#pragma once
/// @file
/// @brief Weight tensors resident on the device: a PlacementPlan made real, chunk buffers
/// allocated and every tensor's slices bound to them.

#include "inference/core/Expected.h"
#include "inference/vulkan/DeviceBuffer.h"
#include "inference/vulkan/StagingUploader.h"
#include "inference/vulkan/TensorPlacement.h"

#include <memory>
#include <span>
#include <vector>

namespace lucent::vk {

/// @brief Rows [firstRow, firstRow + rowCount) of a tensor, bound as one descriptor range (its
/// bytes rounded up to whole 32-bit words).
struct TensorSlice {
    BufferRange range;
    uint64_t firstRow = 0;
    uint64_t rowCount = 0;
};

/// @brief A matrix on the device as one or more row slices.
struct DeviceTensor {
    TensorType type = TensorType::F32;
    uint64_t cols = 0;
    uint64_t rows = 0;
    std::vector<TensorSlice> slices;
};

/// @brief Owns the chunk buffers of a set of tensors.
class TensorStore {
public:
    /// @brief Plans `shapes`, checks the total against the device's memory, allocates the chunks.
    static Expected<std::unique_ptr<TensorStore>> create(const VulkanContext& context, std::span<const TensorShape> shapes);

    /// @brief Tensor `i` in the order of the shapes given to create().
    const DeviceTensor& tensor(size_t i) const { return tensors_[i]; }
    size_t size() const { return tensors_.size(); }
    size_t chunkCount() const { return chunks_.size(); }
    uint64_t totalBytes() const { return totalBytes_; }
    /// @brief Copies tensor `i`'s rows (contiguous, rowBytes(type, cols) each) into its slices.
    Expected<void> upload(StagingUploader& uploader, size_t i, const uint8_t* data) const;

private:
    TensorStore() = default;
    std::vector<std::unique_ptr<DeviceBuffer>> chunks_;
    std::vector<DeviceTensor> tensors_;
    uint64_t totalBytes_ = 0;
};

} // namespace lucent::vk
