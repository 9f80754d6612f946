#include "inference/generation/ThinkingParser.h"

#include "inference/generation/PartialMatch.h"

#include <array>
#include <cassert>

namespace lucent {

namespace {

bool isAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

} // namespace

ThinkingParser::ThinkingParser(ThinkingFormat format, bool startsInsideReasoning, Clock clock)
    : markers_(thinkingMarkers(format)),
      // A lambda rather than &steady_clock::now: taking a standard function's address is unspecified.
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })),
      inside_(startsInsideReasoning && format != ThinkingFormat::None),
      waitingForFirstReasoningByte_(inside_), sawReasoning_(inside_) {}

ThinkingDelta ThinkingParser::feed(std::string_view piece) {
    assert(!finished_ && "ThinkingParser::feed after finish");
    ThinkingDelta delta;
    if (finished_ || piece.empty()) return delta;
    if (waitingForFirstReasoningByte_) {
        waitingForFirstReasoningByte_ = false;
        blockStart_ = clock_();
    }
    pending_.append(piece);

    if (markers_.open.empty()) { // ThinkingFormat::None
        emitText(pending_, delta);
        pending_.clear();
        return delta;
    }

    const std::array<std::string_view, 2> markers = {markers_.open, markers_.close};
    std::string_view rest = pending_;
    while (true) {
        // The earliest marker in what we hold. Neither marker contains the other, so the earliest
        // start is also the earliest end: the same markers are found whatever the piece boundaries.
        const std::size_t open = rest.find(markers_.open);
        const std::size_t close = rest.find(markers_.close);
        const std::size_t at = std::min(open, close);
        if (at == std::string_view::npos) break;
        emitText(rest.substr(0, at), delta);
        if (at == open) {
            if (!inside_) enterReasoning(); // an open marker inside reasoning is dropped
            rest.remove_prefix(at + markers_.open.size());
        } else {
            if (inside_) leaveReasoning(); // a stray close marker outside reasoning is dropped
            rest.remove_prefix(at + markers_.close.size());
        }
    }
    const std::size_t held = heldPrefixLength(rest, markers);
    emitText(rest.substr(0, rest.size() - held), delta);
    pending_ = std::string(rest.substr(rest.size() - held));
    return delta;
}

ThinkingEnd ThinkingParser::finish() {
    assert(!finished_ && "ThinkingParser::finish called twice");
    ThinkingEnd end;
    if (finished_) return end;
    // What was held as a possible marker turned out to be text.
    emitText(pending_, end.delta);
    pending_.clear();
    heldWhitespace_.clear(); // trailing reasoning whitespace is trimmed
    end.unterminated = inside_;
    if (inside_ && !waitingForFirstReasoningByte_) {
        closedBlocks_ += clock_() - blockStart_;
    }
    finished_ = true;
    return end;
}

std::chrono::steady_clock::duration ThinkingParser::reasoningDuration() const {
    if (inside_ && !finished_ && !waitingForFirstReasoningByte_) return closedBlocks_ + (clock_() - blockStart_);
    return closedBlocks_;
}

void ThinkingParser::enterReasoning() {
    inside_ = true;
    sawReasoning_ = true;
    blockStart_ = clock_();
}

void ThinkingParser::leaveReasoning() {
    inside_ = false;
    closedBlocks_ += clock_() - blockStart_;
}

void ThinkingParser::emitText(std::string_view text, ThinkingDelta& delta) {
    if (text.empty()) return;
    if (inside_) emitReasoning(text, delta.reasoning);
    else emitContent(text, delta.content);
}

void ThinkingParser::emitReasoning(std::string_view text, std::string& out) {
    // Leading whitespace is dropped; any later whitespace waits until something follows it, so the
    // reasoning never ends in whitespace.
    if (!reasoningStarted_) {
        std::size_t first = 0;
        while (first < text.size() && isAsciiSpace(text[first])) ++first;
        text.remove_prefix(first);
        if (text.empty()) return;
        reasoningStarted_ = true;
    }
    std::size_t end = text.size();
    while (end > 0 && isAsciiSpace(text[end - 1])) --end;
    if (end > 0) {
        out += heldWhitespace_;
        heldWhitespace_.clear();
        out.append(text.substr(0, end));
    }
    heldWhitespace_.append(text.substr(end));
}

void ThinkingParser::emitContent(std::string_view text, std::string& out) {
    if (!contentStarted_) {
        std::size_t first = 0;
        while (first < text.size() && isAsciiSpace(text[first])) ++first;
        text.remove_prefix(first);
        if (text.empty()) return;
        contentStarted_ = true;
    }
    out.append(text);
}

} // namespace lucent
