#include "inference/vulkan/DeviceTensor.h"

namespace lucent::vk {

Expected<std::unique_ptr<TensorStore>> TensorStore::create(const VulkanContext& context, std::span<const TensorShape> shapes) {
    auto plan = planPlacement(shapes, context.limits());
    if (!plan) return fail(plan.error());
    if (auto enough = checkDeviceMemory(context.info(), plan->totalBytes()); !enough) return fail(enough.error());

    std::unique_ptr<TensorStore> self(new TensorStore);
    self->totalBytes_ = plan->totalBytes();
    for (uint64_t bytes : plan->chunkBytes) {
        auto chunk = DeviceBuffer::create(context, bytes, MemoryUse::Device);
        if (!chunk) return fail(chunk.error());
        self->chunks_.push_back(std::move(*chunk));
    }
    for (size_t t = 0; t < shapes.size(); ++t) {
        DeviceTensor tensor{shapes[t].type, shapes[t].cols, shapes[t].rows, {}};
        const uint64_t rowSize = rowBytes(tensor.type, tensor.cols);
        for (const SlicePlacement& slice : plan->slices[t])
            tensor.slices.push_back({{self->chunks_[slice.chunk].get(), slice.offset, (slice.rowCount * rowSize + kSlicePadding - 1) / kSlicePadding * kSlicePadding},
                                     slice.firstRow, slice.rowCount});
        self->tensors_.push_back(std::move(tensor));
    }
    return self;
}

Expected<void> TensorStore::upload(StagingUploader& uploader, size_t i, const uint8_t* data) const {
    const DeviceTensor& tensor = tensors_[i];
    const uint64_t rowSize = rowBytes(tensor.type, tensor.cols);
    for (const TensorSlice& slice : tensor.slices)
        if (auto copied = uploader.upload(slice.range, data + slice.firstRow * rowSize, slice.rowCount * rowSize); !copied) return copied;
    return {};
}

} // namespace lucent::vk
