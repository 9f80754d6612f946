#pragma once
/// @file
/// @brief A tokenizer vocabulary as a GGUF stores it (`tokenizer.ggml.*`): tokens, their types,
/// BPE merges or SentencePiece scores, and the special token ids.

#include "inference/core/Expected.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lucent {

/// @brief GGUF token types (tokenizer.ggml.token_type).
enum class TokenKind : int32_t { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

/// @brief Exactly what a GGUF's tokenizer keys hold.
struct VocabularyData {
    std::string model; ///< "gpt2" (byte-level BPE) or "llama" (SentencePiece)
    std::string pre;   ///< pre-tokenizer name for gpt2 vocabularies ("qwen2", "llama-bpe" …)
    std::vector<std::string> tokens;
    std::vector<int32_t> tokenTypes; ///< TokenKind values; empty means all Normal
    std::vector<std::string> merges; ///< "left right", rank = index (gpt2)
    std::vector<float> scores;       ///< per token (llama / SentencePiece)
    std::optional<int32_t> bos, eos, eot, pad, unk;
    bool addBos = false;
    bool addEos = false;
};

/// @brief A validated vocabulary with lookup tables.
class Vocabulary {
public:
    /// @brief Checks the data (ids in range, merges present for gpt2, known model) and indexes it.
    static Expected<Vocabulary> create(VocabularyData data);

    const VocabularyData& data() const { return data_; }
    size_t size() const { return data_.tokens.size(); }
    const std::string& text(int32_t id) const { return data_.tokens[size_t(id)]; }
    TokenKind kind(int32_t id) const;
    std::optional<int32_t> find(std::string_view text) const;
    /// @brief Merge rank of the pair (left, right), or nothing when they never merge.
    std::optional<int32_t> mergeRank(std::string_view left, std::string_view right) const;
    /// @brief Ids that end generation (EOS, EOT and known end markers such as <|im_end|>).
    const std::vector<int32_t>& endOfGeneration() const { return endOfGeneration_; }
    /// @brief Added tokens (control and user-defined), longest first: matched before BPE.
    const std::vector<int32_t>& addedTokens() const { return addedTokens_; }

private:
    VocabularyData data_;
    std::unordered_map<std::string, int32_t> ids_;
    std::unordered_map<std::string, int32_t> mergeRanks_; // key: left + '\x01' + right
    std::vector<int32_t> endOfGeneration_;
    std::vector<int32_t> addedTokens_;
};

} // namespace lucent
