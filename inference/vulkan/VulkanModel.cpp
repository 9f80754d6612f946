#include "inference/vulkan/VulkanModel.h"

#include "inference/vulkan/VulkanCheck.h"

#include <cstring>

namespace lucent::vk {
namespace {

uint64_t alignUp(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

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
    if (c.headDim % 2 || c.headDim > 256 || c.nRot % 2)
        return fail("The Vulkan backend supports head sizes up to 256 (even); this model's is " + std::to_string(c.headDim) + ".");
    heads_ = HeadShape{c.nHead, c.nHeadKv, c.headDim, c.nRot, c.ropeType == RopeType::Neox};
    if (weights_.ropeFreqs.present()) ropeFreqs_.assign(weights_.ropeFreqs.f32(), weights_.ropeFreqs.f32() + c.nRot / 2);

    // device
    auto context = VulkanContext::create(options.device);
    if (!context) return fail(context.error());
    context_ = std::move(*context);
    pipelines_ = std::make_unique<PipelineCache>(*context_);
    auto batch = ComputeBatch::create(*context_, *pipelines_);
    if (!batch) return fail(batch.error());
    batch_ = std::move(*batch);

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
    outputNorm_ = add(weights_.outputNorm, "output_norm.weight");
    output_ = weights_.output.data == weights_.tokenEmbd.data ? tokenEmbd_ : add(weights_.output, "output.weight");
    for (uint32_t l = 0; l < c.nLayer; ++l) {
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

Expected<void> VulkanModel::allocateState() {
    const ModelConfig& c = config_;
    const uint64_t cacheBytes = uint64_t(contextLength_) * c.kvDim() * 2;
    if (cacheBytes > context_->limits().maxBindingBytes || cacheBytes > context_->limits().maxAllocationBytes)
        return fail("A context of " + std::to_string(contextLength_) + " tokens needs " + formatBytes(cacheBytes) +
                    " of KV cache per layer, more than " + context_->info().name + " can bind at once; choose a shorter context.");
    if (auto enough = checkDeviceMemory(context_->info(), store_->totalBytes() + 2 * cacheBytes * c.nLayer); !enough) return enough;
    const uint64_t alignment = context_->limits().bindingAlignment;
    auto make = [&](uint64_t bytes, MemoryUse use) -> Expected<std::unique_ptr<DeviceBuffer>> {
        return DeviceBuffer::create(*context_, std::max<uint64_t>(bytes, 4), use);
    };
    struct Wanted {
        std::unique_ptr<DeviceBuffer>* buffer;
        uint64_t bytes;
        MemoryUse use;
    } wanted[] = {
        {&s_.x, c.nEmbd * 4ull, MemoryUse::Device},
        {&s_.xb, c.nEmbd * 4ull, MemoryUse::Device},
        {&s_.q, c.qDim() * 4ull, MemoryUse::Device},
        {&s_.k, c.kvDim() * 4ull, MemoryUse::Device},
        {&s_.v, c.kvDim() * 4ull, MemoryUse::Device},
        {&s_.att, c.qDim() * 4ull, MemoryUse::Device},
        {&s_.gate, c.nFf * 4ull, MemoryUse::Device},
        {&s_.up, c.nFf * 4ull, MemoryUse::Device},
        {&s_.partials, attentionPartialBytes(heads_, attentionSplits(contextLength_)), MemoryUse::Device},
        {&s_.params, alignUp(4, alignment) + ropeTableFloats(heads_, 1) * 4, MemoryUse::Upload},
        {&s_.logits, c.nVocab * 4ull, MemoryUse::Readback},
    };
    for (Wanted& w : wanted) {
        auto buffer = make(w.bytes, w.use);
        if (!buffer) return fail(buffer.error());
        *w.buffer = std::move(*buffer);
    }
    for (uint32_t l = 0; l < c.nLayer; ++l) {
        auto keys = make(cacheBytes, MemoryUse::Device), values = make(cacheBytes, MemoryUse::Device);
        if (!keys) return fail(keys.error());
        if (!values) return fail(values.error());
        s_.keys.push_back(std::move(*keys));
        s_.values.push_back(std::move(*values));
    }
    return {};
}

Expected<void> VulkanModel::eval(std::span<const int32_t> tokens, int pos, float* logitsOut) {
    if (tokens.empty()) return fail("There are no tokens to evaluate.");
    if (pos < 0 || size_t(pos) + tokens.size() > contextLength_)
        return fail("The context is full: " + std::to_string(pos) + " + " + std::to_string(tokens.size()) +
                    " tokens do not fit in a context of " + std::to_string(contextLength_) + ".");
    for (int32_t token : tokens)
        if (token < 0 || uint32_t(token) >= config_.nVocab)
            return fail("Token id " + std::to_string(token) + " is outside the model's vocabulary of " + std::to_string(config_.nVocab) +
                        " tokens.");
    const uint64_t tableOffset = alignUp(4, context_->limits().bindingAlignment);
    for (size_t t = 0; t < tokens.size(); ++t) {
        const uint32_t p = uint32_t(pos) + uint32_t(t);
        const bool last = t + 1 == tokens.size();
        // per-token inputs: the token id and the RoPE angles of its position
        const uint32_t id = uint32_t(tokens[t]);
        std::memcpy(s_.params->mapped(), &id, 4);
        fillRopeTable(reinterpret_cast<float*>(s_.params->mapped() + tableOffset), heads_, p, 1, config_.ropeBase,
                      ropeFreqs_.empty() ? nullptr : ropeFreqs_.data());
        batch_->begin();
        recordToken(p, last && logitsOut);
        if (auto ran = batch_->submitAndWait(); !ran) return ran;
    }
    if (logitsOut) std::memcpy(logitsOut, s_.logits->mapped(), size_t(config_.nVocab) * 4);
    return {};
}

void VulkanModel::recordToken(uint32_t pos, bool wantLogits) {
    const ModelConfig& c = config_;
    ComputeBatch& b = *batch_;
    const BufferRange x = wholeBuffer(*s_.x), xb = wholeBuffer(*s_.xb), q = wholeBuffer(*s_.q), k = wholeBuffer(*s_.k),
                      v = wholeBuffer(*s_.v), att = wholeBuffer(*s_.att), gate = wholeBuffer(*s_.gate), up = wholeBuffer(*s_.up);
    const uint64_t tableOffset = alignUp(4, context_->limits().bindingAlignment);
    const BufferRange tokenId{s_.params.get(), 0, 4};
    const BufferRange ropeTable{s_.params.get(), tableOffset, s_.params->bytes() - tableOffset};
    auto matVec = [&](int weight, const BufferRange& in, const BufferRange& out) { recordMatVec(b, store_->tensor(size_t(weight)), in, out); };

    // token embedding
    recordEmbed(b, store_->tensor(size_t(tokenEmbd_)), tokenId, 1, x);
    b.barrier();
    for (uint32_t l = 0; l < c.nLayer; ++l) {
        const LayerTensors& w = layers_[l];
        // attention rmsnorm
        recordRmsNorm(b, x, tensor(w.attnNorm), xb, c.nEmbd, 1, c.eps);
        b.barrier();
        // qkv (+ biases: qwen2), independent of each other
        matVec(w.wq, xb, q);
        matVec(w.wk, xb, k);
        matVec(w.wv, xb, v);
        b.barrier();
        if (w.bq >= 0) {
            recordAdd(b, q, tensor(w.bq), c.qDim());
            recordAdd(b, k, tensor(w.bk), c.kvDim());
            recordAdd(b, v, tensor(w.bv), c.kvDim());
            b.barrier();
        }
        // per-head q/k rmsnorm (qwen3)
        if (w.qNorm >= 0) {
            recordRmsNorm(b, q, tensor(w.qNorm), q, c.headDim, c.nHead, c.eps);
            recordRmsNorm(b, k, tensor(w.kNorm), k, c.headDim, c.nHeadKv, c.eps);
            b.barrier();
        }
        // RoPE, k and v into the f16 cache
        const BufferRange keys = wholeBuffer(*s_.keys[l]), values = wholeBuffer(*s_.values[l]);
        recordRopeKv(b, heads_, pos, 1, q, k, v, keys, values, ropeTable);
        b.barrier();
        // attention over the cache (positions 0 … pos)
        recordAttention(b, heads_, pos + 1, attentionSplits(pos + 1), q, keys, values, wholeBuffer(*s_.partials), att);
        b.barrier();
        // output projection and residual
        matVec(w.wo, att, xb);
        b.barrier();
        recordAdd(b, x, xb, c.nEmbd);
        b.barrier();
        // ffn rmsnorm
        recordRmsNorm(b, x, tensor(w.ffnNorm), xb, c.nEmbd, 1, c.eps);
        b.barrier();
        // SwiGLU: down(silu(gate(x)) · up(x))
        matVec(w.wGate, xb, gate);
        matVec(w.wUp, xb, up);
        b.barrier();
        recordSwiglu(b, gate, up, c.nFf);
        b.barrier();
        matVec(w.wDown, gate, xb);
        b.barrier();
        // residual
        recordAdd(b, x, xb, c.nEmbd);
        b.barrier();
    }
    if (!wantLogits) return;
    // final rmsnorm and LM head
    recordRmsNorm(b, x, tensor(outputNorm_), xb, c.nEmbd, 1, c.eps);
    b.barrier();
    matVec(output_, xb, wholeBuffer(*s_.logits));
}

} // namespace lucent::vk
