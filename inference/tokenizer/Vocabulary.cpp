#include "inference/tokenizer/Vocabulary.h"

#include <algorithm>

namespace lucent {
namespace {

std::string mergeKey(std::string_view left, std::string_view right) {
    std::string key;
    key.reserve(left.size() + right.size() + 1);
    key.append(left).push_back('\x01');
    key.append(right);
    return key;
}

// End-of-turn markers of the supported families, found by text (never by hard-coded id).
constexpr std::string_view kEndMarkers[] = {"<|im_end|>", "<|eot_id|>", "<|end_of_text|>", "<|endoftext|>",
                                            "<｜end▁of▁sentence｜>", "<|eom_id|>"};

} // namespace

Expected<Vocabulary> Vocabulary::create(VocabularyData data) {
    if (data.model != "gpt2" && data.model != "llama")
        return fail("the model's tokenizer type '" + data.model +
                    "' is not supported (Lucent reads byte-level BPE 'gpt2' and SentencePiece 'llama' vocabularies).");
    if (data.tokens.empty()) return fail("the model has no vocabulary (tokenizer.ggml.tokens is missing or empty).");
    const auto n = int64_t(data.tokens.size());
    if (!data.tokenTypes.empty() && data.tokenTypes.size() != data.tokens.size())
        return fail("the model's token types (" + std::to_string(data.tokenTypes.size()) + ") do not match its " +
                    std::to_string(n) + " tokens.");
    if (data.model == "gpt2" && data.merges.empty())
        return fail("the model's BPE vocabulary has no merges (tokenizer.ggml.merges is missing).");
    if (data.model == "llama" && data.scores.size() != data.tokens.size())
        return fail("the model's SentencePiece vocabulary has no scores for its tokens (tokenizer.ggml.scores).");
    for (auto* id : {&data.bos, &data.eos, &data.eot, &data.pad, &data.unk})
        if (*id && (**id < 0 || **id >= n))
            return fail("the model names special token id " + std::to_string(**id) + ", outside its vocabulary of " +
                        std::to_string(n) + " tokens.");

    Vocabulary vocabulary;
    vocabulary.ids_.reserve(data.tokens.size());
    for (int32_t id = 0; id < int32_t(n); ++id) vocabulary.ids_.emplace(data.tokens[size_t(id)], id); // first wins
    vocabulary.mergeRanks_.reserve(data.merges.size());
    for (int32_t rank = 0; rank < int32_t(data.merges.size()); ++rank) {
        const std::string& merge = data.merges[size_t(rank)];
        const auto space = merge.find(' ', 1); // a merge's left part is never empty
        if (space == std::string::npos)
            return fail("the model's merge rule " + std::to_string(rank) + " ('" + merge + "') is not two tokens.");
        vocabulary.mergeRanks_.emplace(mergeKey(std::string_view(merge).substr(0, space),
                                                std::string_view(merge).substr(space + 1)), rank);
    }
    vocabulary.data_ = std::move(data);
    auto& v = vocabulary;
    for (int32_t id = 0; id < int32_t(n); ++id)
        if (v.kind(id) == TokenKind::Control || v.kind(id) == TokenKind::UserDefined)
            if (!v.text(id).empty()) v.addedTokens_.push_back(id);
    std::stable_sort(v.addedTokens_.begin(), v.addedTokens_.end(),
                     [&](int32_t a, int32_t b) { return v.text(a).size() > v.text(b).size(); });
    for (auto id : {v.data_.eos, v.data_.eot})
        if (id) v.endOfGeneration_.push_back(*id);
    for (auto marker : kEndMarkers)
        if (auto id = v.find(marker); id && v.kind(*id) == TokenKind::Control &&
                                      std::find(v.endOfGeneration_.begin(), v.endOfGeneration_.end(), *id) == v.endOfGeneration_.end())
            v.endOfGeneration_.push_back(*id);
    return vocabulary;
}

TokenKind Vocabulary::kind(int32_t id) const {
    return data_.tokenTypes.empty() ? TokenKind::Normal : TokenKind(data_.tokenTypes[size_t(id)]);
}

std::optional<int32_t> Vocabulary::find(std::string_view text) const {
    const auto it = ids_.find(std::string(text));
    return it == ids_.end() ? std::nullopt : std::optional<int32_t>(it->second);
}

std::optional<int32_t> Vocabulary::mergeRank(std::string_view left, std::string_view right) const {
    const auto it = mergeRanks_.find(mergeKey(left, right));
    return it == mergeRanks_.end() ? std::nullopt : std::optional<int32_t>(it->second);
}

} // namespace lucent
