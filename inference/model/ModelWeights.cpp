#include "inference/model/ModelWeights.h"

#include "inference/gguf/GgufFile.h"

#include <string>

namespace lucent {
namespace {

std::string shapeText(const std::vector<uint64_t>& shape) {
    std::string text;
    for (size_t i = 0; i < shape.size(); ++i) text += (i ? "×" : "") + std::to_string(shape[i]);
    return text;
}

// What a tensor must look like; `what` names the hyperparameter its size comes from.
struct Expectation {
    uint64_t cols;
    uint64_t rows; ///< 0: a vector
    const char* colsFrom;
    const char* rowsFrom;
};

class WeightFinder {
public:
    WeightFinder(const GgufFile& file, const ModelConfig& config) : file_(file), config_(config) {}

    // A weight matrix: any supported type. A vector (norm, bias): F32, as every converter writes them.
    Expected<WeightView> get(const std::string& name, Expectation e, bool required = true) const {
        const GgufTensor* t = file_.findTensor(name);
        if (!t) {
            if (!required) return WeightView{};
            return fail("The model file lacks the tensor '" + name + "' that a " + config_.archName + " model needs.");
        }
        const std::vector<uint64_t> expected = e.rows ? std::vector<uint64_t>{e.cols, e.rows} : std::vector<uint64_t>{e.cols};
        if (t->shape != expected) {
            // Name the hyperparameter the mismatching dimension comes from.
            const bool colsWrong = t->shape.empty() || t->shape[0] != e.cols;
            const char* what = colsWrong ? e.colsFrom : e.rowsFrom;
            const uint64_t value = colsWrong ? e.cols : e.rows;
            return fail("The model's metadata says " + std::string(what) + " " + std::to_string(value) + " but '" + name + "' is " +
                        shapeText(t->shape) + " (expected " + shapeText(expected) + ").");
        }
        if (!e.rows && t->type != TensorType::F32)
            return fail("The tensor '" + name + "' is stored as " + std::string(tensorTypeName(t->type)) +
                        "; Lucent expects norms and biases in F32.");
        const auto bytes = file_.tensorData(*t);
        return WeightView{bytes.data(), t->type, e.cols, e.rows ? e.rows : 1};
    }

private:
    const GgufFile& file_;
    const ModelConfig& config_;
};

#define LUCENT_TRY_ASSIGN(target, expr)          \
    do {                                         \
        auto lucentResult_ = (expr);             \
        if (!lucentResult_) return fail(lucentResult_.error()); \
        (target) = *lucentResult_;               \
    } while (0)

} // namespace

Expected<ModelWeights> loadModelWeights(const GgufFile& file, const ModelConfig& c) {
    const WeightFinder find(file, c);
    ModelWeights w;
    const uint64_t embd = c.nEmbd, q = c.qDim(), kv = c.kvDim(), ff = c.nFf, vocab = c.nVocab;
    LUCENT_TRY_ASSIGN(w.tokenEmbd, find.get("token_embd.weight", {embd, vocab, "n_embd", "n_vocab"}));
    LUCENT_TRY_ASSIGN(w.outputNorm, find.get("output_norm.weight", {embd, 0, "n_embd", ""}));
    LUCENT_TRY_ASSIGN(w.output, find.get("output.weight", {embd, vocab, "n_embd", "n_vocab"}, false));
    // Tied embeddings: without output.weight the LM head is token_embd (llama.cpp duplicates it).
    w.tiedEmbeddings = !w.output.present();
    if (w.tiedEmbeddings) w.output = w.tokenEmbd;
    if (c.arch == Architecture::Llama)
        LUCENT_TRY_ASSIGN(w.ropeFreqs, find.get("rope_freqs.weight", {c.nRot / 2, 0, "n_rot/2", ""}, false));

    w.layers.resize(c.nLayer);
    for (uint32_t i = 0; i < c.nLayer; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        LayerWeights& l = w.layers[i];
        LUCENT_TRY_ASSIGN(l.attnNorm, find.get(p + "attn_norm.weight", {embd, 0, "n_embd", ""}));
        LUCENT_TRY_ASSIGN(l.wq, find.get(p + "attn_q.weight", {embd, q, "n_embd", "n_head×head_dim"}));
        LUCENT_TRY_ASSIGN(l.wk, find.get(p + "attn_k.weight", {embd, kv, "n_embd", "n_head_kv×head_dim"}));
        LUCENT_TRY_ASSIGN(l.wv, find.get(p + "attn_v.weight", {embd, kv, "n_embd", "n_head_kv×head_dim"}));
        if (c.arch == Architecture::Qwen2) {
            LUCENT_TRY_ASSIGN(l.bq, find.get(p + "attn_q.bias", {q, 0, "n_head×head_dim", ""}));
            LUCENT_TRY_ASSIGN(l.bk, find.get(p + "attn_k.bias", {kv, 0, "n_head_kv×head_dim", ""}));
            LUCENT_TRY_ASSIGN(l.bv, find.get(p + "attn_v.bias", {kv, 0, "n_head_kv×head_dim", ""}));
        }
        if (c.arch == Architecture::Qwen3) {
            LUCENT_TRY_ASSIGN(l.qNorm, find.get(p + "attn_q_norm.weight", {c.headDim, 0, "head_dim", ""}));
            LUCENT_TRY_ASSIGN(l.kNorm, find.get(p + "attn_k_norm.weight", {c.headDim, 0, "head_dim", ""}));
        }
        LUCENT_TRY_ASSIGN(l.wo, find.get(p + "attn_output.weight", {q, embd, "n_head×head_dim", "n_embd"}));
        LUCENT_TRY_ASSIGN(l.ffnNorm, find.get(p + "ffn_norm.weight", {embd, 0, "n_embd", ""}));
        LUCENT_TRY_ASSIGN(l.wGate, find.get(p + "ffn_gate.weight", {embd, ff, "n_embd", "n_ff"}));
        LUCENT_TRY_ASSIGN(l.wUp, find.get(p + "ffn_up.weight", {embd, ff, "n_embd", "n_ff"}));
        LUCENT_TRY_ASSIGN(l.wDown, find.get(p + "ffn_down.weight", {ff, embd, "n_ff", "n_embd"}));
    }
    return w;
}

} // namespace lucent
