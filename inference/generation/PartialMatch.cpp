#include "inference/generation/PartialMatch.h"

#include <algorithm>

namespace lucent {

namespace {

std::size_t heldFor(std::string_view text, std::string_view pattern) {
    // Try the longest candidate first: a suffix of length n can be held only if n < |pattern|.
    const std::size_t longest = std::min(text.size(), pattern.empty() ? 0 : pattern.size() - 1);
    for (std::size_t length = longest; length > 0; --length) {
        if (text.substr(text.size() - length) == pattern.substr(0, length)) return length;
    }
    return 0;
}

} // namespace

std::size_t heldPrefixLength(std::string_view text, std::span<const std::string_view> patterns) {
    std::size_t held = 0;
    for (std::string_view pattern : patterns) held = std::max(held, heldFor(text, pattern));
    return held;
}

std::size_t heldPrefixLength(std::string_view text, std::span<const std::string> patterns) {
    std::size_t held = 0;
    for (const std::string& pattern : patterns) held = std::max(held, heldFor(text, pattern));
    return held;
}

} // namespace lucent
