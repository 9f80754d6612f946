#pragma once
/// @file
/// @brief SentencePiece-style BPE for `llama` vocabularies: merge adjacent pieces whose union is
/// a token, best score first; characters without a token fall back to <0xXX> byte tokens.

#include "inference/tokenizer/Vocabulary.h"

#include <array>
#include <string_view>
#include <vector>

namespace lucent {

/// @brief Encodes text with a SentencePiece vocabulary (spaces become "▁").
class SpmModel {
public:
    explicit SpmModel(const Vocabulary& vocabulary);

    /// @brief Appends the ids of `text` to `out`. `addSpacePrefix`: SentencePiece's dummy prefix.
    void encode(std::string_view text, bool addSpacePrefix, std::vector<int32_t>& out) const;

private:
    const Vocabulary* vocabulary_;
    std::array<int32_t, 256> byteTokens_{}; // <0xXX> ids, -1 when absent
};

} // namespace lucent
