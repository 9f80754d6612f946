#include "inference/cpu/CpuModel.h"

#include "inference/cpu/Attention.h"
#include "inference/cpu/InterleavedRows.h"
#include "inference/cpu/Kernels.h"
#include "inference/cpu/MatMul.h"
#include "inference/quant/Dequantize.h"

#include <algorithm>
#include <new>
#include <sys/mman.h>
#include <unistd.h>

namespace lucent {
namespace {

// 2 MiB: the repacked weights can sit in transparent huge pages (see interleaveWeights).
constexpr size_t kHugePage = size_t(2) << 20;
constexpr std::align_val_t kInterleavedAlignment{kHugePage};

// Pages of the file mapping a repacked matrix no longer reads: a few MiB at a time, so the load's
// peak RAM stays a chunk, not a matrix (a 7B LM head is 300 MB), above what the model then uses.
constexpr size_t kReleaseChunkBytes = size_t(4) << 20;

// Drops the pages from the one holding `begin` up to the one holding `end` (excluded) of the
// read-only file mapping from this process: they stay in the page cache, and a later read (a
// tied embedding's row, a norm vector sharing the first page) maps them again. The repacked copy
// then replaces the mapped one in the model's RAM use instead of doubling it. Consecutive ranges
// tile the pages exactly.
void releaseMappedPages(const uint8_t* begin, const uint8_t* end) {
    const auto page = uintptr_t(sysconf(_SC_PAGESIZE));
    const uintptr_t first = uintptr_t(begin) / page * page, last = uintptr_t(end) / page * page;
    if (first < last) madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED); // advice only: a failure costs memory, not results
}

} // namespace

void CpuModel::AlignedDelete::operator()(uint8_t* p) const { ::operator delete[](p, kInterleavedAlignment); }

Expected<std::unique_ptr<CpuModel>> CpuModel::open(const std::string& path, const CpuModelOptions& options) {
    auto file = GgufFile::open(path);
    if (!file) return fail(file.error());
    return create(std::move(*file), options);
}

Expected<std::unique_ptr<CpuModel>> CpuModel::create(GgufFile file, const CpuModelOptions& options) {
    auto config = readModelConfig(file);
    if (!config) return fail(config.error());
    if (auto weights = loadModelWeights(file, *config); !weights) return fail(weights.error());
    const uint32_t context = options.contextLength ? options.contextLength : config->nCtxTrain;
    if (options.maxBatch == 0) return fail("The batch size must be at least one token.");
    if (options.firstLayer > config->nLayer)
        return fail("The model has " + std::to_string(config->nLayer) + " layers; the CPU cannot start at layer " +
                    std::to_string(options.firstLayer) + ".");
    try {
        return std::unique_ptr<CpuModel>(new CpuModel(std::move(file), std::move(*config), options, context));
    } catch (const std::bad_alloc&) {
        return fail("There is not enough memory for a context of " + std::to_string(context) +
                    " tokens with this model; choose a shorter context.");
    }
}

CpuModel::CpuModel(GgufFile file, ModelConfig config, const CpuModelOptions& options, uint32_t contextLength)
    : file_(std::move(file)),
      config_(std::move(config)),
      // Checked in create(); the views point into the mapping, which moving file_ does not move.
      weights_(std::move(*loadModelWeights(file_, config_))),
      maxBatch_(options.maxBatch),
      firstLayer_(options.firstLayer),
      pool_(options.threads),
      cache_(config_.nLayer - firstLayer_, contextLength, config_.kvDim()) {
    const size_t b = maxBatch_;
    const size_t maxCols = std::max({size_t(config_.nEmbd), size_t(config_.qDim()), size_t(config_.nFf)});
    s_.x.resize(b * config_.nEmbd);
    s_.xb.resize(b * config_.nEmbd);
    s_.q.resize(b * config_.qDim());
    s_.k.resize(b * config_.kvDim());
    s_.v.resize(b * config_.kvDim());
    s_.att.resize(b * config_.qDim());
    s_.gate.resize(b * config_.nFf);
    s_.up.resize(b * config_.nFf);
    s_.scores.resize(size_t(pool_.size()) * contextLength);
    s_.activations.resize(matMulActivationBytes(maxCols, b));
    interleaveWeights();
}

void CpuModel::interleaveWeights() {
    if (!interleavedRowsSupported()) return;
    std::vector<WeightView*> views;
    for (uint32_t l = firstLayer_; l < config_.nLayer; ++l) {
        LayerWeights& lw = weights_.layers[l];
        for (WeightView* v : {&lw.wq, &lw.wk, &lw.wv, &lw.wo, &lw.wGate, &lw.wUp, &lw.wDown}) views.push_back(v);
    }
    views.push_back(&weights_.output); // a tied token_embd keeps reading its rows from the mapping
    std::erase_if(views, [](const WeightView* v) { return !canInterleaveRows(*v); });
    // Each matrix starts on a 64-byte boundary, so no 32-byte load of the kernel splits a cache line.
    auto paddedBytes = [](const WeightView* v) { return (v->rows * rowBytes(v->type, v->cols) + 63) / 64 * 64; };
    size_t total = 0;
    for (const WeightView* v : views) total += paddedBytes(v);
    if (total == 0) return;
    // Without the memory for a copy the model still runs, from the mapping as it is.
    interleaved_.reset(static_cast<uint8_t*>(::operator new[](total, kInterleavedAlignment, std::nothrow)));
    if (!interleaved_) return;
    // A decode step streams every weight once: 4 KiB pages would cost a TLB miss every 4 KiB and
    // stop the hardware prefetcher at each page boundary.
#ifdef MADV_HUGEPAGE
    madvise(interleaved_.get(), total, MADV_HUGEPAGE); // advice only, like releaseMappedPages
#endif
    uint8_t* out = interleaved_.get();
    for (WeightView* v : views) {
        const size_t groups = v->rows / kInterleavedRows, groupBytes = kInterleavedRows * rowBytes(v->type, v->cols);
        const size_t chunk = std::max<size_t>(1, kReleaseChunkBytes / groupBytes);
        for (size_t g = 0; g < groups; g += chunk) {
            const size_t end = std::min(groups, g + chunk);
            // Split over the pool like a mat-vec: the copy touches every weight (read from disk on a cold start).
            pool_.parallelFor(end - g, [&](size_t b, size_t e) { interleaveRows(*v, out, g + b, g + e); });
            releaseMappedPages(v->data + g * groupBytes, v->data + end * groupBytes);
        }
        v->data = out;
        v->interleavedRows = true;
        out += paddedBytes(v);
    }
}

CpuModel::~CpuModel() = default;

Expected<void> CpuModel::checkPositions(size_t nTokens, int pos) const {
    if (nTokens == 0) return fail("There are no tokens to evaluate.");
    if (pos < 0 || size_t(pos) + nTokens > contextLength())
        return fail("The context is full: " + std::to_string(pos) + " + " + std::to_string(nTokens) +
                    " tokens do not fit in a context of " + std::to_string(contextLength()) + ".");
    return {};
}

Expected<void> CpuModel::evalFromHidden(const float* hidden, size_t nTokens, int pos, float* logitsOut) {
    if (auto fits = checkPositions(nTokens, pos); !fits) return fits;
    for (size_t start = 0; start < nTokens; start += maxBatch_) {
        const size_t n = std::min<size_t>(maxBatch_, nTokens - start);
        const bool last = start + n == nTokens;
        forward({}, hidden + start * config_.nEmbd, n, pos + int(start), last ? logitsOut : nullptr);
    }
    return {};
}

Expected<void> CpuModel::eval(std::span<const int32_t> tokens, int pos, float* logitsOut) {
    if (firstLayer_ > 0)
        return fail("This CPU model starts at layer " + std::to_string(firstLayer_) + "; it continues another device's forward pass.");
    if (auto fits = checkPositions(tokens.size(), pos); !fits) return fits;
    for (int32_t token : tokens)
        if (token < 0 || uint32_t(token) >= config_.nVocab)
            return fail("Token id " + std::to_string(token) + " is outside the model's vocabulary of " + std::to_string(config_.nVocab) +
                        " tokens.");
    // Long prompts go through in batches; only the last batch's logits matter.
    for (size_t start = 0; start < tokens.size(); start += maxBatch_) {
        const size_t n = std::min<size_t>(maxBatch_, tokens.size() - start);
        const bool last = start + n == tokens.size();
        forward(tokens.subspan(start, n), nullptr, n, pos + int(start), last ? logitsOut : nullptr);
    }
    return {};
}

void CpuModel::forward(std::span<const int32_t> tokens, const float* hidden, size_t nTokens, int pos, float* logitsOut) {
    const ModelConfig& c = config_;
    const size_t n = nTokens, embd = c.nEmbd, qDim = c.qDim(), kvDim = c.kvDim(), ff = c.nFf;
    const ModelWeights& w = weights_;
    const MatMulScratch scratch{s_.activations.data()};
    auto linear = [&](const WeightView& weight, const float* in, float* out) { matMul(weight, in, n, out, pool_, scratch); };
    auto addBias = [&](float* out, const WeightView& bias, size_t dim) {
        if (bias.present())
            for (size_t t = 0; t < n; ++t) addInPlace(out + t * dim, bias.f32(), dim);
    };
    const RopePairing pairing = c.ropeType == RopeType::Norm ? RopePairing::Norm : RopePairing::Neox;
    const float* freqFactors = w.ropeFreqs.present() ? w.ropeFreqs.f32() : nullptr;

    // token embedding, or the residual stream the layers before firstLayer_ computed elsewhere
    if (hidden) std::copy(hidden, hidden + n * embd, s_.x.begin());
    else
        for (size_t t = 0; t < n; ++t) dequantizeRow(w.tokenEmbd.type, w.tokenEmbd.row(uint64_t(tokens[t])), &s_.x[t * embd], embd);

    for (uint32_t l = firstLayer_; l < c.nLayer; ++l) {
        const LayerWeights& lw = w.layers[l];
        // attention rmsnorm
        for (size_t t = 0; t < n; ++t) rmsNorm(&s_.xb[t * embd], &s_.x[t * embd], lw.attnNorm.f32(), embd, c.eps);
        // qkv (+ biases: qwen2)
        linear(lw.wq, s_.xb.data(), s_.q.data());
        linear(lw.wk, s_.xb.data(), s_.k.data());
        linear(lw.wv, s_.xb.data(), s_.v.data());
        addBias(s_.q.data(), lw.bq, qDim);
        addBias(s_.k.data(), lw.bk, kvDim);
        addBias(s_.v.data(), lw.bv, kvDim);
        for (size_t t = 0; t < n; ++t) {
            float* q = &s_.q[t * qDim];
            float* k = &s_.k[t * kvDim];
            // per-head q/k rmsnorm (qwen3)
            if (lw.qNorm.present()) {
                for (uint32_t h = 0; h < c.nHead; ++h) rmsNorm(q + h * c.headDim, q + h * c.headDim, lw.qNorm.f32(), c.headDim, c.eps);
                for (uint32_t h = 0; h < c.nHeadKv; ++h) rmsNorm(k + h * c.headDim, k + h * c.headDim, lw.kNorm.f32(), c.headDim, c.eps);
            }
            // RoPE
            const int p = pos + int(t);
            rope(q, int(c.nHead), int(c.headDim), int(c.nRot), p, pairing, c.ropeBase, freqFactors);
            rope(k, int(c.nHeadKv), int(c.headDim), int(c.nRot), p, pairing, c.ropeBase, freqFactors);
            // store k, v in the f16 cache
            toHalf(cache_.keys(l - firstLayer_, uint32_t(p)), k, kvDim);
            toHalf(cache_.values(l - firstLayer_, uint32_t(p)), &s_.v[t * kvDim], kvDim);
        }
        // attention over the cache
        attention(l, n, pos);
        // output projection and residual
        linear(lw.wo, s_.att.data(), s_.xb.data());
        addInPlace(s_.x.data(), s_.xb.data(), n * embd);
        // ffn rmsnorm
        for (size_t t = 0; t < n; ++t) rmsNorm(&s_.xb[t * embd], &s_.x[t * embd], lw.ffnNorm.f32(), embd, c.eps);
        // SwiGLU: down(silu(gate(x)) · up(x))
        linear(lw.wGate, s_.xb.data(), s_.gate.data());
        linear(lw.wUp, s_.xb.data(), s_.up.data());
        swiglu(s_.gate.data(), s_.up.data(), n * ff);
        linear(lw.wDown, s_.gate.data(), s_.xb.data());
        // residual
        addInPlace(s_.x.data(), s_.xb.data(), n * embd);
    }
    if (!logitsOut) return;
    // final rmsnorm and LM head, last token only
    float* last = &s_.xb[(n - 1) * embd];
    rmsNorm(last, &s_.x[(n - 1) * embd], w.outputNorm.f32(), embd, c.eps);
    matVec(w.output, last, logitsOut, pool_, scratch);
}

void CpuModel::attention(uint32_t layer, size_t nTokens, int pos) {
    const ModelConfig& c = config_;
    const uint32_t cached = layer - firstLayer_; // the cache holds this model's layers only
    const AttentionInputs in{cache_.keys(cached, 0), cache_.values(cached, 0), c.kvDim(), int(c.nHead), int(c.nHeadKv), int(c.headDim)};
    const size_t tasks = nTokens * c.nHead;
    pool_.run([&](unsigned thread, unsigned threads) {
        float* scores = &s_.scores[size_t(thread) * cache_.capacity()];
        for (size_t i = tasks * thread / threads; i < tasks * (thread + 1) / threads; ++i) {
            const size_t t = i / c.nHead, h = i % c.nHead;
            const size_t offset = t * c.qDim() + h * c.headDim;
            // causal: token t sees positions 0 … pos + t
            attendHead(in, int(h), &s_.q[offset], pos + int(t) + 1, scores, &s_.att[offset]);
        }
    });
}

} // namespace lucent
