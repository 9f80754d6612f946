#pragma once
/// @file
/// @brief Records compute dispatches into one command buffer and runs it: each dispatch gets a
/// descriptor set from the batch's pool, push constants and its workgroup counts; barriers go
/// only where the caller says a kernel reads what an earlier one wrote.
///
/// A recording is run once, or kept and run again (begin(Recording::Reusable)): a decode step
/// recorded once serves every token, its inputs (token id, position) read from buffers.
///
/// Recording never fails loudly: the first problem (an unknown shader, an exhausted pool) is kept
/// and returned by submitAndWait(), which then runs nothing.

#include "inference/core/Expected.h"
#include "inference/vulkan/DeviceBuffer.h"
#include "inference/vulkan/DispatchProfiler.h"
#include "inference/vulkan/PipelineCache.h"

#include <vulkan/vulkan.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lucent::vk {

class VulkanContext;

/// @brief One command buffer with its descriptor pool and fence.
class ComputeBatch {
public:
    /// @brief Whether a recording runs once or is kept for submitAndWait() to run again.
    enum class Recording { Once, Reusable };

    /// @brief A batch that holds up to `maxDispatches` dispatches per recording.
    static Expected<std::unique_ptr<ComputeBatch>> create(const VulkanContext& context, PipelineCache& pipelines,
                                                          uint32_t maxDispatches = 4096);
    ~ComputeBatch();
    ComputeBatch(const ComputeBatch&) = delete;
    ComputeBatch& operator=(const ComputeBatch&) = delete;

    /// @brief Starts a new recording (waits for the previous one if it still runs), dropping the
    /// previous one.
    void begin(Recording kind = Recording::Once);
    /// @brief Records `shader` (specialized with `specialization`) over `bindings` with push
    /// constants `push` (≤ 128 bytes) and groupsX × groupsY × groupsZ workgroups. Counts beyond
    /// the device's per-dimension limit are an error; use groups1D() to fold large ones.
    void dispatch(const std::string& shader, std::initializer_list<uint32_t> specialization, std::initializer_list<BufferRange> bindings,
                  const void* push, uint32_t pushBytes, uint32_t groupsX, uint32_t groupsY = 1, uint32_t groupsZ = 1);
    /// @brief Makes every earlier shader write visible to every later shader read.
    void barrier();
    /// @brief Copies `source` into `destination` (source.bytes bytes).
    void copy(const BufferRange& source, const BufferRange& destination);
    /// @brief Fills `range` with copies of `word`.
    void fill(const BufferRange& range, uint32_t word);
    /// @brief Ends the recording, submits it and waits; returns the first recording error, if any.
    /// With no recording open, runs the kept Reusable one again.
    Expected<void> submitAndWait();
    /// @brief Whether a Reusable recording is kept (ended without error): submitAndWait() reruns it.
    bool hasRecording() const { return kept_; }
    /// @brief Splits `groups` into an x/y grid whose x stays within the device limit (shaders
    /// rebuild the index with linearGroup()).
    std::pair<uint32_t, uint32_t> groups1D(uint64_t groups) const;
    const VulkanContext& context() const { return context_; }
    /// @brief Dispatches recorded since begin().
    uint32_t dispatchCount() const { return dispatches_; }

private:
    ComputeBatch(const VulkanContext& context, PipelineCache& pipelines) : context_(context), pipelines_(pipelines) {}
    void recordError(Error error);

    const VulkanContext& context_;
    PipelineCache& pipelines_;
    VkCommandBuffer commands_ = VK_NULL_HANDLE;
    VkDescriptorPool pool_ = VK_NULL_HANDLE;
    VkFence fence_ = VK_NULL_HANDLE;
    bool recording_ = false;
    bool reusable_ = false; ///< the open recording is Recording::Reusable
    bool kept_ = false;     ///< a Reusable recording ended and can run again
    bool inFlight_ = false;
    uint32_t dispatches_ = 0;
    std::optional<Error> error_;
    std::unique_ptr<DispatchProfiler> profiler_; ///< LUCENT_VK_PROFILE
};

} // namespace lucent::vk
