// Tokenizer::fromGguf: the tokenizer.ggml.* keys of a model file → a Tokenizer.
#include "inference/gguf/GgufFile.h"
#include "inference/tokenizer/Tokenizer.h"

namespace lucent {

Expected<Tokenizer> Tokenizer::fromGguf(const GgufFile& file) {
    VocabularyData data;
    const auto model = file.getString("tokenizer.ggml.model");
    if (!model) return fail(file.name() + " has no tokenizer (tokenizer.ggml.model is missing).");
    data.model = std::string(*model);
    data.pre = std::string(file.getString("tokenizer.ggml.pre").value_or("default"));
    auto tokens = file.getStringArray("tokenizer.ggml.tokens");
    if (!tokens) return fail(file.name() + " has no vocabulary (tokenizer.ggml.tokens is missing).");
    data.tokens.assign(tokens->begin(), tokens->end());
    if (auto types = file.getIntArray("tokenizer.ggml.token_type")) {
        data.tokenTypes.reserve(types->size());
        for (const auto type : *types) {
            if (type < 1 || type > 6) return fail(file.name() + " has an invalid token type " + std::to_string(type) + ".");
            data.tokenTypes.push_back(int32_t(type));
        }
    }
    if (auto merges = file.getStringArray("tokenizer.ggml.merges")) data.merges.assign(merges->begin(), merges->end());
    if (auto scores = file.getFloatArray("tokenizer.ggml.scores")) data.scores = std::move(*scores);
    auto id = [&](const char* key) -> std::optional<int32_t> {
        const auto value = file.getUInt(key);
        if (!value || *value >= data.tokens.size()) return std::nullopt;
        return int32_t(*value);
    };
    data.bos = id("tokenizer.ggml.bos_token_id");
    data.eos = id("tokenizer.ggml.eos_token_id");
    data.eot = id("tokenizer.ggml.eot_token_id");
    data.pad = id("tokenizer.ggml.padding_token_id");
    data.unk = id("tokenizer.ggml.unknown_token_id");
    // SentencePiece vocabularies add BOS unless told otherwise; byte-level BPE ones do not.
    data.addBos = file.getBool("tokenizer.ggml.add_bos_token").value_or(data.model == "llama");
    data.addEos = file.getBool("tokenizer.ggml.add_eos_token").value_or(false);
    auto tokenizer = create(std::move(data));
    if (!tokenizer) return fail(file.name() + ": " + tokenizer.error().message);
    return tokenizer;
}

} // namespace lucent
