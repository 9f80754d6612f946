#pragma once
/// @file
/// @brief The recent tokens the repeat, presence and frequency penalties look at.

#include <cstdint>
#include <deque>
#include <unordered_map>

namespace lucent {

/// @brief A sliding window of accepted tokens with a count per distinct token, so applying the
/// penalties costs O(distinct recent tokens), not O(vocabulary).
class PenaltyHistory {
public:
    /// @brief `window` tokens are remembered; 0 remembers nothing, -1 remembers every token.
    explicit PenaltyHistory(int32_t window) : window_(window) {}

    /// @brief Records a token that became part of the text (generated, or prompt if the caller wants).
    void accept(int32_t token);
    /// @brief Forgets everything (a new conversation).
    void clear();

    /// @brief How often each token occurs in the window (only tokens that occur).
    const std::unordered_map<int32_t, int32_t>& counts() const { return counts_; }
    /// @brief How many tokens the window holds now.
    std::size_t size() const { return window_ < 0 ? unboundedSize_ : recent_.size(); }

private:
    int32_t window_;
    std::deque<int32_t> recent_; // oldest first; unused when the window is unbounded
    std::size_t unboundedSize_ = 0;
    std::unordered_map<int32_t, int32_t> counts_;
};

} // namespace lucent
