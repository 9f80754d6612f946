#pragma once
/// @file
/// @brief Byte-level BPE: merges symbols of one pre-token by rank (lowest first, leftmost on ties).

#include "inference/tokenizer/Vocabulary.h"

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace lucent {

/// @brief Encodes byte-level pre-tokens (already mapped through bytesToSymbols) to ids.
class BpeModel {
public:
    /// @brief `ignoreMerges`: a pre-token that is itself in the vocabulary is one token (Llama 3).
    BpeModel(const Vocabulary& vocabulary, bool ignoreMerges) : vocabulary_(&vocabulary), ignoreMerges_(ignoreMerges) {}
    BpeModel(BpeModel&& other) noexcept : vocabulary_(other.vocabulary_), ignoreMerges_(other.ignoreMerges_) {}

    /// @brief Appends the ids of one pre-token to `out`.
    void encode(const std::string& symbols, std::vector<int32_t>& out) const;

private:
    std::vector<int32_t> merge(const std::string& symbols) const;
    const Vocabulary* vocabulary_;
    bool ignoreMerges_;
    mutable std::mutex cacheMutex_;
    mutable std::unordered_map<std::string, std::vector<int32_t>> cache_; // pre-token → ids, bounded
};

} // namespace lucent
