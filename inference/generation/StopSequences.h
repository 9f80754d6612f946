#pragma once
/// @file
/// @brief Ends a reply at the first user-given stop string, even when it arrives split across tokens.

#include <string>
#include <string_view>
#include <vector>

namespace lucent {

/// @brief What one piece released, and whether a stop string was reached.
struct StopDelta {
    /// Text that is certainly before any stop string.
    std::string text;
    /// A stop string completed: stop generating. Neither it nor anything after it is released.
    bool stopped = false;
};

/// @brief Watches streamed text for stop strings.
///
/// The reply stops where a stop string first *completes*, the earliest point a streaming reader can
/// know: with stops "abcd" and "bc", the text "abcd" stops at "bc" and releases "a". When several
/// complete at the same byte, the longest wins. Text that might be the start of a stop string is held
/// back until it is clearly not; `finish` releases it. Empty stop strings are ignored. The result
/// never depends on where the pieces break.
class StopSequences {
public:
    explicit StopSequences(std::vector<std::string> stops);

    /// @brief Takes the next piece; after a stop, returns nothing more (still `stopped`).
    StopDelta feed(std::string_view piece);

    /// @brief The reply ended without a stop: releases held-back text.
    std::string finish();

    /// @brief True once a stop string was seen.
    bool stopped() const { return stopped_; }

    /// @brief The stop string that ended the reply (empty before that).
    const std::string& matchedStop() const { return matched_; }

private:
    std::vector<std::string> stops_;
    std::string pending_;
    std::string matched_;
    bool stopped_ = false;
};

} // namespace lucent
