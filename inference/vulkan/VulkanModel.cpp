#include "inference/vulkan/VulkanModel.h"

#include "inference/vulkan/VulkanCheck.h"

#include <algorithm>
#include <cstring>

namespace lucent::vk {
namespace {

uint64_t alignUp(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

HeadShape headShapeOf(const ModelConfig& c) { return HeadShape{c.nHead, c.nHeadKv, c.headDim, c.nRot, c.ropeType == RopeType::Neox}; }

/// Bytes of the run buffers: allocateState() allocates them, runStateBytes() adds them up.
struct RunSizes {
    uint64_t x, q, kv, gate, xq, partials, params, positionOffset, ropeTableOffset, logits;
};

RunSizes runSizes(const ModelConfig& c, const HeadShape& heads, uint32_t contextLength, uint32_t maxBatch, uint64_t alignment,
                  uint32_t batchSplits) {
    const uint64_t n = maxBatch;
    RunSizes r{};
    r.x = n * c.nEmbd * 4;
    r.q = n * c.qDim() * 4;
    r.kv = n * c.kvDim() * 4;
    r.gate = n * c.nFf * 4;
    // 8-bit activations for the integer-dot mat-mul: the widest input of a projection
    r.xq = n * quantizedActivationBytes(std::max({c.nEmbd, c.qDim(), c.nFf}));
    r.partials =
        std::max(attentionPartialBytes(heads, attentionSplits(contextLength)), attentionPartialBytes(heads, batchSplits, maxBatch));
    // params: token ids, the position of the first (one uint32), the RoPE table; each bindable
    r.positionOffset = alignUp(n * 4, alignment);
    r.ropeTableOffset = alignUp(r.positionOffset + 4, alignment);
    r.params = r.ropeTableOffset + ropeTableFloats(heads, maxBatch) * 4;
    r.logits = c.nVocab * 4ull;
    return r;
}

} // namespace

Expected<std::unique_ptr<VulkanModel>> VulkanModel::open(const std::string& path, const VulkanModelOptions& options) {
    auto file = GgufFile::open(path);
    if (!file) return fail(file.error());
    return create(std::move(*file), options);
}

Expected<std::unique_ptr<VulkanModel>> VulkanModel::create(GgufFile file, const VulkanModelOptions& options) {
    auto config = readModelConfig(file);
    if (!config) return fail(config.error());
    std::unique_ptr<VulkanModel> self(new VulkanModel(std::move(file), std::move(*config)));
    if (auto loaded = self->load(options); !loaded) return fail(loaded.error());
    return self;
}

VulkanModel::~VulkanModel() {
    // everything that borrows the device goes before it
    batch_.reset();
    decodeStep_.reset();
    pipelines_.reset();
    store_.reset();
    s_ = RunState{};
}

Expected<void> VulkanModel::load(const VulkanModelOptions& options) {
    auto weights = loadModelWeights(file_, config_);
    if (!weights) return fail(weights.error());
    weights_ = std::move(*weights);
    const ModelConfig& c = config_;
    contextLength_ = options.contextLength ? options.contextLength : c.nCtxTrain;
    maxBatch_ = std::clamp<uint32_t>(options.maxBatch, 1, std::max<uint32_t>(contextLength_, 1));
    if (c.headDim % 2 || c.headDim > 256 || c.nRot % 2)
        return fail("The Vulkan backend supports head sizes up to 256 (even); this model's is " + std::to_string(c.headDim) + ".");
    heads_ = headShapeOf(c);
    kvCache_ = options.kvCache;
    if (auto unsupported = kvCacheUnsupported(heads_, kvCache_)) return fail(*unsupported);
    layerCount_ = options.layers && options.layers < c.nLayer ? options.layers : c.nLayer;
    const bool lastStage = layerCount_ == c.nLayer;
    if (weights_.ropeFreqs.present()) ropeFreqs_.assign(weights_.ropeFreqs.f32(), weights_.ropeFreqs.f32() + c.nRot / 2);

    // device
    auto context = VulkanContext::create(options.device);
    if (!context) return fail(context.error());
    context_ = std::move(*context);
    pipelines_ = std::make_unique<PipelineCache>(*context_);
    auto batch = ComputeBatch::create(*context_, *pipelines_);
    if (!batch) return fail(batch.error());
    batch_ = std::move(*batch);
    auto decodeStep = ComputeBatch::create(*context_, *pipelines_);
    if (!decodeStep) return fail(decodeStep.error());
    decodeStep_ = std::move(*decodeStep);

    // weights: every tensor placed, then uploaded
    std::vector<TensorShape> shapes;
    std::vector<const WeightView*> views;
    auto add = [&](const WeightView& view, const std::string& name) -> int {
        if (!view.present()) return -1;
        shapes.push_back({name, view.type, view.cols, view.rows});
        views.push_back(&view);
        return int(shapes.size() - 1);
    };
    tokenEmbd_ = add(weights_.tokenEmbd, "token_embd.weight");
    if (lastStage) { // an earlier stage of a partial offload ends without them
        outputNorm_ = add(weights_.outputNorm, "output_norm.weight");
        output_ = weights_.output.data == weights_.tokenEmbd.data ? tokenEmbd_ : add(weights_.output, "output.weight");
    }
    for (uint32_t l = 0; l < layerCount_; ++l) {
        const LayerWeights& w = weights_.layers[l];
        const std::string p = "blk." + std::to_string(l) + ".";
        layers_.push_back({add(w.attnNorm, p + "attn_norm"), add(w.wq, p + "attn_q"), add(w.wk, p + "attn_k"), add(w.wv, p + "attn_v"),
                           add(w.bq, p + "attn_q.bias"), add(w.bk, p + "attn_k.bias"), add(w.bv, p + "attn_v.bias"),
                           add(w.qNorm, p + "attn_q_norm"), add(w.kNorm, p + "attn_k_norm"), add(w.wo, p + "attn_output"),
                           add(w.ffnNorm, p + "ffn_norm"), add(w.wGate, p + "ffn_gate"), add(w.wUp, p + "ffn_up"),
                           add(w.wDown, p + "ffn_down")});
    }
    auto store = TensorStore::create(*context_, shapes);
    if (!store) return fail(store.error());
    store_ = std::move(*store);
    auto uploader = StagingUploader::create(*context_);
    if (!uploader) return fail(uploader.error());
    (*uploader)->expect(store_->totalBytes(), options.progress);
    for (size_t i = 0; i < views.size(); ++i)
        if (auto copied = store_->upload(**uploader, i, views[i]->data); !copied) return copied;
    if (auto done = (*uploader)->finish(); !done) return done;
    return allocateState();
}

uint64_t VulkanModel::runStateBytes(const ModelConfig& config, uint32_t contextLength, uint32_t maxBatch, uint64_t bindingAlignment,
                                    bool withLogits) {
    const RunSizes r = runSizes(config, headShapeOf(config), contextLength, maxBatch, bindingAlignment, kBatchSplits);
    // x, xb, hidden or logits (the other one a 4-byte placeholder); q, att; k, v; gate, up; xq
    return 2 * r.x + (withLogits ? r.logits : r.x) + 4 + 2 * r.q + 2 * r.kv + 2 * r.gate + r.xq + r.partials + r.params;
}

Expected<void> VulkanModel::allocateState() {
    const ModelConfig& c = config_;
    const uint64_t cacheBytes = kvCacheBytes(c.kvDim(), kvCache_, contextLength_);
    if (cacheBytes > context_->limits().maxBindingBytes || cacheBytes > context_->limits().maxAllocationBytes)
        return fail("A context of " + std::to_string(contextLength_) + " tokens needs " + formatBytes(cacheBytes) +
                    " of KV cache per layer, more than " + context_->info().name + " can bind at once; choose a shorter context.");
    if (auto enough = checkDeviceMemory(context_->info(), store_->totalBytes() + 2 * cacheBytes * layerCount_); !enough) return enough;
    const RunSizes r = runSizes(c, heads_, contextLength_, maxBatch_, context_->limits().bindingAlignment, kBatchSplits);
    positionOffset_ = r.positionOffset;
    ropeTableOffset_ = r.ropeTableOffset;
    const bool lastStage = layerCount_ == c.nLayer;
    auto make = [&](uint64_t bytes, MemoryUse use) -> Expected<std::unique_ptr<DeviceBuffer>> {
        return DeviceBuffer::create(*context_, std::max<uint64_t>(bytes, 4), use);
    };
    struct Wanted {
        std::unique_ptr<DeviceBuffer>* buffer;
        uint64_t bytes;
        MemoryUse use;
    } wanted[] = {
        {&s_.x, r.x, MemoryUse::Device},
        {&s_.xb, r.x, MemoryUse::Device},
        {&s_.q, r.q, MemoryUse::Device},
        {&s_.k, r.kv, MemoryUse::Device},
        {&s_.v, r.kv, MemoryUse::Device},
        {&s_.att, r.q, MemoryUse::Device},
        {&s_.gate, r.gate, MemoryUse::Device},
        {&s_.up, r.gate, MemoryUse::Device},
        {&s_.xq, r.xq, MemoryUse::Device},
        {&s_.partials, r.partials, MemoryUse::Device},
        {&s_.params, r.params, MemoryUse::Upload},
        // the last stage reads logits back, an earlier one the residual stream of every token
        {&s_.logits, lastStage ? r.logits : 4, MemoryUse::Readback},
        {&s_.hidden, lastStage ? 4 : r.x, MemoryUse::Readback},
    };
    for (Wanted& w : wanted) {
        auto buffer = make(w.bytes, w.use);
        if (!buffer) return fail(buffer.error());
        *w.buffer = std::move(*buffer);
    }
    for (uint32_t l = 0; l < layerCount_; ++l) {
        auto keys = make(cacheBytes, MemoryUse::Device), values = make(cacheBytes, MemoryUse::Device);
        if (!keys) return fail(keys.error());
        if (!values) return fail(values.error());
        s_.keys.push_back(std::move(*keys));
        s_.values.push_back(std::move(*values));
    }
    return {};
}

uint64_t VulkanModel::deviceBytes() const {
    uint64_t bytes = store_->totalBytes();
    for (const auto* buffer :
         {&s_.x, &s_.xb, &s_.q, &s_.k, &s_.v, &s_.att, &s_.gate, &s_.up, &s_.xq, &s_.partials, &s_.params, &s_.logits, &s_.hidden})
        bytes += (*buffer)->bytes();
    for (size_t l = 0; l < s_.keys.size(); ++l) bytes += s_.keys[l]->bytes() + s_.values[l]->bytes();
    return bytes;
}

Expected<void> VulkanModel::eval(std::span<const int32_t> tokens, int pos, float* logitsOut) {
    if (layerCount_ < config_.nLayer)
        return fail("This GPU holds only the first " + std::to_string(layerCount_) + " layers of the model, so it cannot compute logits.");
    return run(tokens, pos, logitsOut, nullptr);
}

Expected<void> VulkanModel::evalHidden(std::span<const int32_t> tokens, int pos, float* hiddenOut) {
    if (layerCount_ == config_.nLayer) return fail("This GPU runs the whole model; its output is logits, not a hidden state.");
    return run(tokens, pos, nullptr, hiddenOut);
}

Expected<void> VulkanModel::run(std::span<const int32_t> tokens, int pos, float* logitsOut, float* hiddenOut) {
    if (tokens.empty()) return fail("There are no tokens to evaluate.");
    if (pos < 0 || size_t(pos) + tokens.size() > contextLength_)
        return fail("The context is full: " + std::to_string(pos) + " + " + std::to_string(tokens.size()) +
                    " tokens do not fit in a context of " + std::to_string(contextLength_) + ".");
    for (int32_t token : tokens)
        if (token < 0 || uint32_t(token) >= config_.nVocab)
            return fail("Token id " + std::to_string(token) + " is outside the model's vocabulary of " + std::to_string(config_.nVocab) +
                        " tokens.");
    for (size_t done = 0; done < tokens.size();) {
        const uint32_t n = uint32_t(std::min<size_t>(maxBatch_, tokens.size() - done));
        const uint32_t p = uint32_t(pos) + uint32_t(done);
        const bool last = done + n == tokens.size();
        // the batch's inputs: token ids, the first one's position and the RoPE angles of theirs
        std::memcpy(s_.params->mapped(), tokens.data() + done, size_t(n) * 4);
        std::memcpy(s_.params->mapped() + positionOffset_, &p, 4);
        fillRopeTable(reinterpret_cast<float*>(s_.params->mapped() + ropeTableOffset_), heads_, p, n, config_.ropeBase,
                      ropeFreqs_.empty() ? nullptr : ropeFreqs_.data());
        const bool logits = last && logitsOut;
        if (n == 1) {
            // generation: the recorded step runs again; recorded anew only when its shape changes
            const DecodeStepKey key{attentionSplits(p + 1), logits, hiddenOut != nullptr};
            if (!decodeStep_->hasRecording() || !(key == decodeKey_)) {
                decodeStep_->begin(ComputeBatch::Recording::Reusable);
                recordStep(*decodeStep_, p, n, key.logits, key.hidden);
                decodeKey_ = key;
            }
            if (auto ran = decodeStep_->submitAndWait(); !ran) return ran;
        } else {
            batch_->begin();
            recordStep(*batch_, p, n, logits, hiddenOut != nullptr);
            if (auto ran = batch_->submitAndWait(); !ran) return ran;
        }
        if (hiddenOut) std::memcpy(hiddenOut + size_t(done) * config_.nEmbd, s_.hidden->mapped(), uint64_t(n) * config_.nEmbd * 4);
        done += n;
    }
    if (logitsOut) std::memcpy(logitsOut, s_.logits->mapped(), size_t(config_.nVocab) * 4);
    return {};
}

void VulkanModel::recordStep(ComputeBatch& b, uint32_t pos0, uint32_t nTokens, bool logits, bool hidden) {
    recordForward(b, pos0, nTokens, logits);
    // every token's residual stream, for the next stage's layers
    const uint64_t hiddenBytes = uint64_t(nTokens) * config_.nEmbd * 4;
    if (hidden) b.copy(BufferRange{s_.x.get(), 0, hiddenBytes}, BufferRange{s_.hidden.get(), 0, hiddenBytes});
}

} // namespace lucent::vk
