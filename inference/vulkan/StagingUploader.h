#pragma once
/// @file
/// @brief Copies host bytes into device buffers: a plain memcpy when the destination is mapped
/// (ReBAR, UMA, lavapipe), otherwise through a ring of host-visible staging segments, each copied
/// by its own command buffer so filling one overlaps the GPU copying the others.

#include "inference/core/Expected.h"
#include "inference/vulkan/DeviceBuffer.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace lucent::vk {

class VulkanContext;

/// @brief Called after each piece with bytes copied so far and bytes announced in total.
using UploadProgress = std::function<void(uint64_t done, uint64_t total)>;

/// @brief A staging ring. Uploads are complete once finish() returns.
class StagingUploader {
public:
    /// @brief A ring of `segments` segments of `segmentBytes` each.
    static Expected<std::unique_ptr<StagingUploader>> create(const VulkanContext& context, uint64_t segmentBytes = 16u << 20,
                                                             uint32_t segments = 4);
    ~StagingUploader();
    StagingUploader(const StagingUploader&) = delete;
    StagingUploader& operator=(const StagingUploader&) = delete;

    /// @brief Announces the bytes of the uploads to come, for the progress callback.
    void expect(uint64_t totalBytes, UploadProgress progress);
    /// @brief Copies `bytes` from `source` into `destination` (at most destination.bytes).
    Expected<void> upload(const BufferRange& destination, const uint8_t* source, uint64_t bytes);
    /// @brief Waits for every copy in flight.
    Expected<void> finish();
    /// @brief Pieces that went through the ring (0 when every destination was mapped).
    uint64_t stagedPieces() const { return stagedPieces_; }

private:
    struct Segment {
        std::unique_ptr<DeviceBuffer> buffer;
        VkCommandBuffer commands = VK_NULL_HANDLE;
        VkFence fence = VK_NULL_HANDLE;
        bool inFlight = false;
    };
    explicit StagingUploader(const VulkanContext& context) : context_(context) {}
    Expected<void> wait(Segment& segment);
    void advance(uint64_t bytes);

    const VulkanContext& context_;
    std::vector<Segment> segments_;
    size_t next_ = 0;
    uint64_t done_ = 0;
    uint64_t total_ = 0;
    uint64_t stagedPieces_ = 0;
    UploadProgress progress_;
};

} // namespace lucent::vk
