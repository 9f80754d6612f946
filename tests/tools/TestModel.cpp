#include "TestModel.h"

#include "inference/gguf/GgufWriter.h"
#include "inference/quant/Quantize.h"

#include <cmath>
#include <map>

namespace lucent::testing {
namespace {

// splitmix64: the same numbers on every platform and compiler (std::normal_distribution is not).
struct Random {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    float uniform() { return float(next() >> 40) / float(1u << 24); } // [0, 1)
    // Irwin–Hall(4) rescaled: mean 0, standard deviation 1, bounded tails (no huge outliers).
    float normal() { return (uniform() + uniform() + uniform() + uniform() - 2.0f) * 1.7320508f; }
};

bool useMoreBits(int layer, int nLayer) {
    return layer < nLayer / 8 || layer >= 7 * nLayer / 8 || (layer - nLayer / 8) % 3 == 2;
}

uint64_t tensorSeed(uint64_t seed, const std::string& name) {
    uint64_t h = seed * 0x100000001b3ull ^ 0xcbf29ce484222325ull;
    for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ull;
    return h;
}

} // namespace

TensorType weightTypeFor(const std::string& mix, const std::string& tensor, int layer, int nLayer, uint64_t rowLength) {
    if (mix != "Q4_K_M") return *tensorTypeFromName(mix);
    TensorType type = TensorType::Q4_K;
    if (tensor == "output.weight") type = TensorType::Q6_K;
    else if ((tensor.ends_with("attn_v.weight") || tensor.ends_with("ffn_down.weight")) && useMoreBits(layer, nLayer))
        type = TensorType::Q6_K;
    // Rows that are not a multiple of 256 cannot hold K-quant blocks: llama-quantize falls back.
    if (rowLength % 256 != 0) type = type == TensorType::Q6_K ? TensorType::Q8_0 : TensorType::Q5_0;
    return type;
}

std::optional<uint32_t> llamaFileType(const std::string& type) {
    static const std::map<std::string, uint32_t> kFileTypes = {
        {"F32", 0},  {"F16", 1},  {"Q4_0", 2},  {"Q4_1", 3},  {"Q8_0", 7},    {"Q5_0", 8}, {"Q5_1", 9},
        {"Q4_K", 14 /* Q4_K_S */}, {"Q5_K", 16 /* Q5_K_S */}, {"Q6_K", 18}, {"Q4_K_M", 15}, {"BF16", 32}};
    const auto it = kFileTypes.find(type);
    return it == kFileTypes.end() ? std::nullopt : std::optional<uint32_t>(it->second);
}

Expected<std::vector<PlannedTensor>> planTensors(const TestModelSpec& spec, uint64_t nVocab) {
    if (spec.arch != "qwen2" && spec.arch != "llama" && spec.arch != "qwen3")
        return fail("unknown architecture '" + spec.arch + "' (qwen2, llama or qwen3).");
    if (!llamaFileType(spec.type)) return fail("unknown weight type '" + spec.type + "'.");
    if (spec.nHead == 0 || spec.nHeadKv == 0 || spec.nHead % spec.nHeadKv != 0)
        return fail("n_head must be a positive multiple of n_head_kv.");
    const uint32_t headDim = spec.headDim ? spec.headDim : spec.nEmbd / spec.nHead;
    const uint64_t qDim = uint64_t(spec.nHead) * headDim, kvDim = uint64_t(spec.nHeadKv) * headDim;
    const int nLayer = int(spec.nLayer);
    // Weights: scale 1/sqrt(fan_in) keeps activations O(1) through the layers; norms near 1;
    // small biases.
    std::vector<PlannedTensor> plan;
    auto weight = [&](const std::string& name, uint64_t in, uint64_t out, int layer) {
        plan.push_back({name, {in, out}, weightTypeFor(spec.type, name, layer, nLayer, in), 1.0f / std::sqrt(float(in)), 0.0f, {}});
    };
    auto vector = [&](const std::string& name, uint64_t n, float scale, float mean) {
        plan.push_back({name, {n}, TensorType::F32, scale, mean, {}});
    };
    plan.push_back({"token_embd.weight", {spec.nEmbd, nVocab},
                    weightTypeFor(spec.type, "token_embd.weight", 0, nLayer, spec.nEmbd), 1.0f, 0.0f, {}});
    vector("output_norm.weight", spec.nEmbd, 0.1f, 1.0f);
    if (!spec.tied) weight("output.weight", spec.nEmbd, nVocab, 0);
    if (spec.ropeFreqs && spec.arch == "llama") {
        vector("rope_freqs.weight", headDim / 2, 0.0f, 1.0f);
        plan.back().values = llama3RopeFactors(headDim, spec.ropeBase);
    }
    for (int i = 0; i < nLayer; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        vector(p + "attn_norm.weight", spec.nEmbd, 0.1f, 1.0f);
        weight(p + "attn_q.weight", spec.nEmbd, qDim, i);
        weight(p + "attn_k.weight", spec.nEmbd, kvDim, i);
        weight(p + "attn_v.weight", spec.nEmbd, kvDim, i);
        if (spec.arch == "qwen2") {
            vector(p + "attn_q.bias", qDim, 0.02f, 0.0f);
            vector(p + "attn_k.bias", kvDim, 0.02f, 0.0f);
            vector(p + "attn_v.bias", kvDim, 0.02f, 0.0f);
        }
        if (spec.arch == "qwen3") {
            vector(p + "attn_q_norm.weight", headDim, 0.1f, 1.0f);
            vector(p + "attn_k_norm.weight", headDim, 0.1f, 1.0f);
        }
        weight(p + "attn_output.weight", qDim, spec.nEmbd, i);
        vector(p + "ffn_norm.weight", spec.nEmbd, 0.1f, 1.0f);
        weight(p + "ffn_gate.weight", spec.nEmbd, spec.nFf, i);
        weight(p + "ffn_up.weight", spec.nEmbd, spec.nFf, i);
        weight(p + "ffn_down.weight", spec.nFf, spec.nEmbd, i);
    }
    for (const auto& tensor : plan)
        if (tensor.shape[0] % tensorTypeInfo(tensor.type).blockSize != 0)
            return fail("tensor '" + tensor.name + "' has rows of " + std::to_string(tensor.shape[0]) + " weights, not a multiple of " +
                        std::to_string(tensorTypeInfo(tensor.type).blockSize) + " as " + spec.type + " needs.");
    return plan;
}

void addVocabularyMetadata(GgufWriter& writer, const GgufVocab& vocab) {
    writer.setString("tokenizer.ggml.model", vocab.model);
    writer.setString("tokenizer.ggml.pre", vocab.pre);
    writer.setStringArray("tokenizer.ggml.tokens", vocab.tokens);
    writer.setI32Array("tokenizer.ggml.token_type", vocab.tokenTypes);
    writer.setStringArray("tokenizer.ggml.merges", vocab.merges);
    if (vocab.bos) writer.setU32("tokenizer.ggml.bos_token_id", uint32_t(*vocab.bos));
    if (vocab.eos) writer.setU32("tokenizer.ggml.eos_token_id", uint32_t(*vocab.eos));
    if (vocab.pad) writer.setU32("tokenizer.ggml.padding_token_id", uint32_t(*vocab.pad));
    writer.setBool("tokenizer.ggml.add_bos_token", vocab.addBos);
    writer.setBool("tokenizer.ggml.add_eos_token", vocab.addEos);
    if (!vocab.chatTemplate.empty()) writer.setString("tokenizer.chat_template", vocab.chatTemplate);
}

Expected<void> writeTestModel(const TestModelSpec& spec, const GgufVocab& vocab, const std::string& path) {
    const uint64_t nVocab = vocab.tokens.size();
    auto plan = planTensors(spec, nVocab);
    if (!plan) return fail(plan.error());
    const uint32_t headDim = spec.headDim ? spec.headDim : spec.nEmbd / spec.nHead;
    const std::string a = spec.arch;

    GgufWriter writer;
    writer.setString("general.architecture", a);
    writer.setString("general.name", spec.name);
    writer.setU32("general.file_type", *llamaFileType(spec.type));
    writer.setU32(a + ".block_count", spec.nLayer);
    writer.setU32(a + ".context_length", spec.nCtxTrain);
    writer.setU32(a + ".embedding_length", spec.nEmbd);
    writer.setU32(a + ".feed_forward_length", spec.nFf);
    writer.setU32(a + ".attention.head_count", spec.nHead);
    writer.setU32(a + ".attention.head_count_kv", spec.nHeadKv);
    writer.setF32(a + ".rope.freq_base", spec.ropeBase);
    writer.setF32(a + ".attention.layer_norm_rms_epsilon", spec.eps);
    if (a == "llama") {
        writer.setU32("llama.rope.dimension_count", headDim);
        writer.setU32("llama.vocab_size", uint32_t(nVocab));
    }
    if (a == "qwen3" || headDim != spec.nEmbd / spec.nHead) {
        writer.setU32(a + ".attention.key_length", headDim);
        writer.setU32(a + ".attention.value_length", headDim);
    }
    addVocabularyMetadata(writer, vocab);

    for (const auto& tensor : *plan) {
        // Each tensor draws from its own stream, so adding a tensor never changes the others.
        Random random{tensorSeed(spec.seed, tensor.name)};
        uint64_t count = 1;
        for (auto extent : tensor.shape) count *= extent;
        std::vector<float> values(count);
        if (!tensor.values.empty()) values = tensor.values;
        else for (auto& v : values) v = tensor.mean + tensor.scale * random.normal();
        if (auto added = writer.addTensor(tensor.name, tensor.shape, tensor.type, quantize(tensor.type, values, tensor.shape[0])); !added)
            return added;
    }
    return writer.write(path);
}

std::vector<float> llama3RopeFactors(uint32_t headDim, float ropeBase, float factor, float lowFreqFactor, float highFreqFactor,
                                     float originalContext) {
    const double lowFreqWavelength = originalContext / lowFreqFactor, highFreqWavelength = originalContext / highFreqFactor;
    std::vector<float> factors(headDim / 2);
    for (uint32_t i = 0; i < headDim / 2; ++i) {
        const double frequency = std::pow(double(ropeBase), -2.0 * i / headDim);
        const double wavelength = 2.0 * M_PI / frequency;
        if (wavelength < highFreqWavelength) factors[i] = 1.0f;
        else if (wavelength > lowFreqWavelength) factors[i] = factor;
        else {
            const double smooth = (originalContext / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
            factors[i] = float(1.0 / ((1.0 - smooth) / factor + smooth));
        }
    }
    return factors;
}

} // namespace lucent::testing
