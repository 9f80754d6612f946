// VulkanModel's forward pass, recorded into one ComputeBatch: the same steps as
// inference/cpu/CpuModel, for one token (mat-vec kernels) or a prompt batch (tiled mat-muls,
// attention with a causal mask over the batch). Token ids and the position are read from the
// params buffer on the device, so a recorded one-token step runs again for every token.
#include "inference/vulkan/VulkanModel.h"

#include <algorithm>

namespace lucent::vk {

void VulkanModel::recordForward(ComputeBatch& b, uint32_t pos0, uint32_t nTokens, bool wantLogits) {
    const ModelConfig& c = config_;
    const BufferRange x = wholeBuffer(*s_.x), xb = wholeBuffer(*s_.xb), q = wholeBuffer(*s_.q), k = wholeBuffer(*s_.k),
                      v = wholeBuffer(*s_.v), att = wholeBuffer(*s_.att), gate = wholeBuffer(*s_.gate), up = wholeBuffer(*s_.up);
    const BufferRange tokenIds{s_.params.get(), 0, uint64_t(nTokens) * 4};
    const BufferRange position{s_.params.get(), positionOffset_, 4};
    const BufferRange ropeTable{s_.params.get(), ropeTableOffset_, s_.params->bytes() - ropeTableOffset_};
    // A GPU batch shares each dequantized weight tile among 32 tokens (the tiled mat-mul); one token,
    // and a batch on a CPU device (MatVecShape::batchTokens), runs the mat-vec.
    const bool matVec = nTokens == 1 || matVecShape(b.context().info()).batchTokens > 0;
    // On devices with fast int8 dot products a batch's Q4_0/Q8_0/K-quant mat-muls read their input
    // as 8-bit blocks: quantizeFor() converts it once for the projections that share it (then a
    // barrier).
    const BufferRange xq = wholeBuffer(*s_.xq);
    auto quantizeFor = [&](std::initializer_list<int> weights, const BufferRange& in, uint32_t cols) -> const BufferRange* {
        if (matVec) return nullptr;
        const bool wanted = std::any_of(weights.begin(), weights.end(), [&](int weight) {
            return matMulUsesIntegerDot(b.context().info(), store_->tensor(size_t(weight)).type);
        });
        if (!wanted) return nullptr;
        recordQuantizeActivations(b, in, xq, cols, nTokens);
        b.barrier();
        return &xq;
    };
    auto project = [&](int weight, const BufferRange& in, const BufferRange& out, const BufferRange* quantized) {
        if (matVec) recordMatVec(b, store_->tensor(size_t(weight)), in, out, nTokens);
        else recordMatMul(b, store_->tensor(size_t(weight)), in, out, nTokens, quantized);
    };
    const uint32_t n = nTokens;
    // The mat-vec has epilogues (bias, residual, SwiGLU) instead of separate kernels; the tiled
    // mat-mul (and the rare tensor the mat-vec cannot fuse) takes the separate kernels.
    auto fused = [&](int weight) { return matVec && matVecFuses(store_->tensor(size_t(weight))); };

    // token embeddings
    recordEmbed(b, store_->tensor(size_t(tokenEmbd_)), tokenIds, n, x);
    b.barrier();
    for (uint32_t l = 0; l < layerCount_; ++l) {
        const LayerTensors& w = layers_[l];
        // qkv (+ biases: qwen2), independent of each other, after the attention rmsnorm: done by
        // the mat-vecs as they load x where they can (no normalized copy, no dispatch, no barrier)
        const bool fusedQkv = fused(w.wq) && fused(w.wk) && fused(w.wv);
        if (fusedQkv) {
            const BufferRange bq = w.bq >= 0 ? tensor(w.bq) : BufferRange{}, bk = w.bk >= 0 ? tensor(w.bk) : BufferRange{},
                              bv = w.bv >= 0 ? tensor(w.bv) : BufferRange{};
            const FusedRmsNorm norm{tensor(w.attnNorm), c.eps};
            recordMatVec(b, store_->tensor(size_t(w.wq)), x, q, n, {w.bq >= 0 ? &bq : nullptr, false, &norm});
            recordMatVec(b, store_->tensor(size_t(w.wk)), x, k, n, {w.bk >= 0 ? &bk : nullptr, false, &norm});
            recordMatVec(b, store_->tensor(size_t(w.wv)), x, v, n, {w.bv >= 0 ? &bv : nullptr, false, &norm});
        } else {
            recordRmsNorm(b, x, tensor(w.attnNorm), xb, c.nEmbd, n, c.eps);
            b.barrier();
            const BufferRange* quantized = quantizeFor({w.wq, w.wk, w.wv}, xb, c.nEmbd);
            project(w.wq, xb, q, quantized);
            project(w.wk, xb, k, quantized);
            project(w.wv, xb, v, quantized);
        }
        b.barrier();
        if (w.bq >= 0 && !fusedQkv) {
            recordAdd(b, q, tensor(w.bq), n * c.qDim(), c.qDim());
            recordAdd(b, k, tensor(w.bk), n * c.kvDim(), c.kvDim());
            recordAdd(b, v, tensor(w.bv), n * c.kvDim(), c.kvDim());
            b.barrier();
        }
        // per-head q/k rmsnorm (qwen3)
        if (w.qNorm >= 0) {
            recordRmsNorm(b, q, tensor(w.qNorm), q, c.headDim, n * c.nHead, c.eps);
            recordRmsNorm(b, k, tensor(w.kNorm), k, c.headDim, n * c.nHeadKv, c.eps);
            b.barrier();
        }
        // RoPE, k and v into the cache (every token of the batch before any attends)
        const KvCacheView cache{wholeBuffer(*s_.keys[l]), wholeBuffer(*s_.values[l]), kvCache_, contextLength_};
        recordRopeKv(b, heads_, position, n, q, k, v, cache, ropeTable);
        b.barrier();
        // attention: token t over positions 0 … pos0 + t
        const uint32_t splits = n == 1 ? attentionSplits(pos0 + 1) : kBatchSplits;
        recordAttention(b, heads_, position, splits, q, cache, wholeBuffer(*s_.partials), att, n);
        b.barrier();
        // output projection and residual
        if (fused(w.wo)) {
            recordMatVec(b, store_->tensor(size_t(w.wo)), att, x, n, {nullptr, true});
        } else {
            project(w.wo, att, xb, quantizeFor({w.wo}, att, c.qDim()));
            b.barrier();
            recordAdd(b, x, xb, n * c.nEmbd);
        }
        b.barrier();
        // SwiGLU: down(silu(gate(x)) · up(x)) after the ffn rmsnorm (fused as above where it can)
        if (fused(w.wGate) && fused(w.wUp)) {
            const FusedRmsNorm norm{tensor(w.ffnNorm), c.eps};
            recordGatedMatVec(b, store_->tensor(size_t(w.wGate)), store_->tensor(size_t(w.wUp)), x, gate, up, n, &norm);
        } else if (matVec) {
            recordRmsNorm(b, x, tensor(w.ffnNorm), xb, c.nEmbd, n, c.eps);
            b.barrier();
            recordGatedMatVec(b, store_->tensor(size_t(w.wGate)), store_->tensor(size_t(w.wUp)), xb, gate, up, n);
        } else {
            recordRmsNorm(b, x, tensor(w.ffnNorm), xb, c.nEmbd, n, c.eps);
            b.barrier();
            const BufferRange* quantized = quantizeFor({w.wGate, w.wUp}, xb, c.nEmbd);
            project(w.wGate, xb, gate, quantized);
            project(w.wUp, xb, up, quantized);
            b.barrier();
            recordSwiglu(b, gate, up, n * c.nFf);
        }
        b.barrier();
        // down projection and residual
        if (fused(w.wDown)) {
            recordMatVec(b, store_->tensor(size_t(w.wDown)), gate, x, n, {nullptr, true});
        } else {
            project(w.wDown, gate, xb, quantizeFor({w.wDown}, gate, c.nFf));
            b.barrier();
            recordAdd(b, x, xb, n * c.nEmbd);
        }
        b.barrier();
    }
    if (!wantLogits) return;
    // only the last token's logits are wanted: its row moves to the front (a plain copy, so the
    // row needs no descriptor offset alignment)
    if (n > 1) {
        const uint64_t rowBytes = uint64_t(c.nEmbd) * 4;
        b.copy(BufferRange{s_.x.get(), (n - 1) * rowBytes, rowBytes}, BufferRange{s_.x.get(), 0, rowBytes});
        b.barrier();
    }
    // final rmsnorm and LM head
    if (matVecFuses(store_->tensor(size_t(output_)))) {
        const FusedRmsNorm norm{tensor(outputNorm_), c.eps};
        recordMatVec(b, store_->tensor(size_t(output_)), x, wholeBuffer(*s_.logits), 1, {nullptr, false, &norm});
    } else {
        recordRmsNorm(b, x, tensor(outputNorm_), xb, c.nEmbd, 1, c.eps);
        b.barrier();
        recordMatVec(b, store_->tensor(size_t(output_)), xb, wholeBuffer(*s_.logits));
    }
}

} // namespace lucent::vk
