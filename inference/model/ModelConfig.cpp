#include "inference/model/ModelConfig.h"

#include "inference/gguf/GgufFile.h"

#include <cmath>
#include <optional>

namespace lucent {
namespace {

// Far beyond any model Lucent can run, small enough that later size arithmetic cannot overflow
// and a hostile file cannot make the loader allocate absurd buffers.
constexpr uint64_t kMaxLayers = 1024;
constexpr uint64_t kMaxWidth = 1u << 17;
constexpr uint64_t kMaxVocab = 1u << 22;
constexpr uint64_t kMaxContext = 1u << 24;
constexpr uint64_t kMaxHeadDim = 1024; // the CPU RoPE keeps one head's angles on the stack

std::optional<Architecture> parseArchitecture(std::string_view name) {
    if (name == "qwen2") return Architecture::Qwen2;
    if (name == "llama") return Architecture::Llama;
    if (name == "qwen3") return Architecture::Qwen3;
    return std::nullopt;
}

// Reads `<arch>.<key>` as a count in [1, limit]; `fallback` (0: required) when absent.
Expected<uint32_t> readCount(const GgufFile& file, const std::string& arch, const std::string& key, uint64_t limit,
                             uint64_t fallback = 0) {
    const std::string fullKey = arch + "." + key;
    std::optional<uint64_t> value = file.getUInt(fullKey);
    if (!value && file.find(fullKey)) return fail("The model's metadata key '" + fullKey + "' is not a non-negative integer.");
    if (!value) value = fallback;
    if (*value == 0) return fail("The model's metadata lacks '" + fullKey + "', so Lucent cannot tell the model's shape.");
    if (*value > limit)
        return fail("The model's metadata says " + key + " is " + std::to_string(*value) + ", more than any model Lucent can run (" +
                    std::to_string(limit) + ").");
    return uint32_t(*value);
}

Expected<float> readPositive(const GgufFile& file, const std::string& fullKey, double fallback) {
    const double value = file.getFloat(fullKey).value_or(fallback);
    if (!std::isfinite(value) || value <= 0.0) return fail("The model's metadata key '" + fullKey + "' is not a positive number.");
    return float(value);
}

} // namespace

const char* architectureName(Architecture arch) {
    switch (arch) {
    case Architecture::Qwen2: return "qwen2";
    case Architecture::Llama: return "llama";
    case Architecture::Qwen3: return "qwen3";
    }
    return "unknown";
}

Expected<ModelConfig> readModelConfig(const GgufFile& file) {
    const auto archName = file.getString("general.architecture");
    if (!archName) return fail(file.name() + " does not say which architecture it holds (general.architecture is missing).");
    const auto arch = parseArchitecture(*archName);
    if (!arch)
        return fail("The model architecture '" + std::string(*archName) +
                    "' is not supported; Lucent runs qwen2, llama and qwen3 models.");
    ModelConfig c;
    c.arch = *arch;
    c.archName = std::string(*archName);
    const std::string& a = c.archName;

    auto count = [&](uint32_t& out, const std::string& key, uint64_t limit, uint64_t fallback = 0) -> Expected<void> {
        auto value = readCount(file, a, key, limit, fallback);
        if (!value) return fail(value.error());
        out = *value;
        return {};
    };
    for (auto r : {count(c.nLayer, "block_count", kMaxLayers), count(c.nEmbd, "embedding_length", kMaxWidth),
                   count(c.nFf, "feed_forward_length", kMaxWidth), count(c.nHead, "attention.head_count", kMaxWidth)})
        if (!r) return fail(r.error());
    // Without head_count_kv a model uses plain multi-head attention (llama.cpp does the same).
    if (auto r = count(c.nHeadKv, "attention.head_count_kv", kMaxWidth, c.nHead); !r) return fail(r.error());
    if (c.nHead % c.nHeadKv != 0)
        return fail("The model's metadata says n_head " + std::to_string(c.nHead) + ", which is not a multiple of n_head_kv " +
                    std::to_string(c.nHeadKv) + ".");
    if (auto r = count(c.headDim, "attention.key_length", kMaxHeadDim, c.nEmbd / c.nHead); !r) return fail(r.error());
    if (const auto valueLength = file.getUInt(a + ".attention.value_length"); valueLength && *valueLength != c.headDim)
        return fail("The model's metadata gives keys and values different lengths (" + std::to_string(c.headDim) + " and " +
                    std::to_string(*valueLength) + "); Lucent needs them equal.");
    if (auto r = count(c.nRot, "rope.dimension_count", c.headDim, c.headDim); !r) return fail(r.error());
    if (c.nRot % 2 != 0) return fail("The model's metadata says RoPE turns " + std::to_string(c.nRot) + " dimensions, an odd number.");
    if (auto r = count(c.nCtxTrain, "context_length", kMaxContext); !r) return fail(r.error());

    auto base = readPositive(file, a + ".rope.freq_base", 10000.0);
    if (!base) return fail(base.error());
    c.ropeBase = *base;
    auto eps = readPositive(file, a + ".attention.layer_norm_rms_epsilon", 1e-6);
    if (!eps) return fail(eps.error());
    c.eps = *eps;
    c.ropeType = c.arch == Architecture::Llama ? RopeType::Norm : RopeType::Neox;

    // The vocabulary size: llama.cpp takes it from the token list; some files also state it.
    uint64_t nVocab = file.getUInt(a + ".vocab_size").value_or(0);
    if (nVocab == 0)
        if (const GgufValue* tokens = file.find("tokenizer.ggml.tokens"); tokens && tokens->asArray())
            nVocab = tokens->asArray()->size();
    if (nVocab == 0) return fail("The model's metadata says nothing about its vocabulary size (no tokenizer.ggml.tokens).");
    if (nVocab > kMaxVocab) return fail("The model's vocabulary of " + std::to_string(nVocab) + " tokens is larger than Lucent supports.");
    c.nVocab = uint32_t(nVocab);
    return c;
}

} // namespace lucent
