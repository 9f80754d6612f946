#pragma once
/// @file
/// @brief Saves a reply while it streams: collects the pieces and writes them at most once per
/// interval (1 s by default) and at the end, so a crash loses at most the last interval of text.

#include "inference/core/Expected.h"
#include "storage/ChatTypes.h"

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace lucent {

class ChatStore;

/// @brief Accumulates one streaming reply (started with ChatStore::beginStreamingReply) and
/// flushes it to the store. Cheap to call per token; the store sees one write per interval.
class StreamingWriter {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    /// @brief `clock` is for tests; the interval starts now, with the empty reply already saved.
    StreamingWriter(ChatStore& store, MessageId reply,
                    std::chrono::milliseconds interval = std::chrono::seconds(1),
                    Clock clock = std::chrono::steady_clock::now);

    /// @brief Adds answer text; writes everything so far when the interval has passed.
    Expected<void> appendContent(std::string_view piece);
    /// @brief Adds reasoning ("thinking") text; same flushing as appendContent().
    Expected<void> appendReasoning(std::string_view piece);
    /// @brief Writes now if something is unsaved and the interval has passed (call from a timer
    /// so a model that stalls mid-sentence still gets its text saved).
    Expected<void> flushIfDue();
    /// @brief Writes now if something is unsaved.
    Expected<void> flush();
    /// @brief Writes the final text with its statistics (fully synced). Nothing may follow.
    Expected<void> finish(const ReplyStats& stats, FinishReason reason);

    const std::string& content() const { return content_; }
    const std::string& reasoning() const { return reasoning_; }
    /// @brief How many writes reached the store (tests check the rate limit with it).
    int flushCount() const { return flushes_; }

private:
    ChatStore& store_;
    MessageId reply_;
    std::chrono::milliseconds interval_;
    Clock clock_;
    std::chrono::steady_clock::time_point lastFlush_;
    std::string content_;
    std::string reasoning_;
    bool dirty_ = false;
    int flushes_ = 0;
};

} // namespace lucent
