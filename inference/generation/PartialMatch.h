#pragma once
/// @file
/// @brief The one question every streaming matcher asks: how much of the end of what arrived so far
/// could still turn into a marker once more text comes?

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace lucent {

/// @brief Length of the longest suffix of `text` that is a proper, non-empty prefix of one of
/// `patterns` (0 when none). That many bytes must be held back: they may be the start of a marker.
std::size_t heldPrefixLength(std::string_view text, std::span<const std::string_view> patterns);

/// @brief Same, for owned strings (stop sequences).
std::size_t heldPrefixLength(std::string_view text, std::span<const std::string> patterns);

} // namespace lucent
