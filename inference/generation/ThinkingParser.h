#pragma once
/// @file
/// @brief Splits a streamed reply into reasoning and answer as the text arrives.

#include "inference/generation/ThinkingFormat.h"

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace lucent {

/// @brief What one piece of input added to each side (either may be empty).
struct ThinkingDelta {
    std::string reasoning;
    std::string content;
};

/// @brief What `finish` releases, and whether the reply ended inside its reasoning.
struct ThinkingEnd {
    ThinkingDelta delta;
    /// The close marker never came (the model stopped, hit the length limit, or was cancelled
    /// while thinking): all of it was reasoning, and the UI decides how to show that.
    bool unterminated = false;
};

/// @brief A streaming splitter of reasoning and answer for one reply.
///
/// The result is defined on the whole reply, whatever the pieces:
/// - Reasoning is the text between open and close markers; content is the text outside them.
///   Markers are removed. A block may be opened by the prompt (`startsInsideReasoning`, as the
///   DeepSeek-R1 template does): then the reply carries only the close marker.
/// - A close marker outside reasoning and an open marker inside it are dropped: they carry no text
///   and the state does not change. Later blocks add to the same reasoning.
/// - Whitespace: reasoning is trimmed at both ends (`<think>\n…\n</think>`), content at its start
///   (`</think>\n\n` before the answer). Whitespace between two blocks, or inside either side, stays.
///   Only ASCII space, tab, CR, LF, VT and FF count as whitespace. This is llama.cpp's R1 split
///   (`try_parse_reasoning` strips the reasoning and skips spaces after the close marker), extended
///   to text the streaming case cannot take back.
/// - Nothing else is dropped or repeated. Text that only looks like the start of a marker
///   (`<thinking>`, `<th`, `a < b`) is held back just until it is clearly not one.
/// The split never depends on where the pieces break, down to single bytes.
class ThinkingParser {
public:
    /// @brief The time source; injectable so tests can run a fake clock.
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    /// @param format which markers to look for
    /// @param startsInsideReasoning the prompt ended with the open marker (see promptOpensReasoning)
    /// @param clock time source for reasoningDuration; empty means std::chrono::steady_clock
    ThinkingParser(ThinkingFormat format, bool startsInsideReasoning, Clock clock = {});

    /// @brief Takes the next piece of the reply, returns the text that became certain.
    ThinkingDelta feed(std::string_view piece);

    /// @brief The reply is over: releases held text and says whether the reasoning was left open.
    /// Call once; `feed` must not be called afterwards.
    ThinkingEnd finish();

    /// @brief Time spent inside reasoning: from the first reasoning byte (the open marker, or the
    /// first piece when the prompt opened the block) to the close marker, summed over blocks. While
    /// the reasoning is still open it counts up to now; after an unterminated finish, up to finish.
    std::chrono::steady_clock::duration reasoningDuration() const;

    /// @brief True between an open and a close marker.
    bool isInsideReasoning() const { return inside_; }

    /// @brief True once any reasoning block was opened (by a marker or by the prompt).
    bool sawReasoning() const { return sawReasoning_; }

private:
    void enterReasoning();
    void leaveReasoning();
    void emitText(std::string_view text, ThinkingDelta& delta);
    void emitReasoning(std::string_view text, std::string& out);
    void emitContent(std::string_view text, std::string& out);

    ThinkingMarkers markers_;
    Clock clock_;
    bool inside_;
    bool waitingForFirstReasoningByte_; // prompt opened the block; its clock starts on the first byte
    bool sawReasoning_;
    bool finished_ = false;
    std::string pending_;           // the tail that may still be the start of a marker
    bool reasoningStarted_ = false; // a non-whitespace reasoning byte was emitted
    std::string heldWhitespace_;    // reasoning whitespace not yet followed by anything else
    bool contentStarted_ = false;   // a non-whitespace content byte was emitted
    std::chrono::steady_clock::time_point blockStart_{};
    std::chrono::steady_clock::duration closedBlocks_{};
};

} // namespace lucent
