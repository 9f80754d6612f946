#include "storage/StreamingWriter.h"

#include "storage/ChatStore.h"

#include <utility>

namespace lucent {

StreamingWriter::StreamingWriter(ChatStore& store, MessageId reply,
                                 std::chrono::milliseconds interval, Clock clock)
    : store_(store), reply_(reply), interval_(interval), clock_(std::move(clock)),
      lastFlush_(clock_()) {}

Expected<void> StreamingWriter::appendContent(std::string_view piece) {
    content_.append(piece);
    dirty_ = dirty_ || !piece.empty();
    return flushIfDue();
}

Expected<void> StreamingWriter::appendReasoning(std::string_view piece) {
    reasoning_.append(piece);
    dirty_ = dirty_ || !piece.empty();
    return flushIfDue();
}

Expected<void> StreamingWriter::flushIfDue() {
    if (!dirty_ || clock_() - lastFlush_ < interval_) return {};
    return flush();
}

Expected<void> StreamingWriter::flush() {
    if (!dirty_) return {};
    // A failed write (disk full, locked) keeps the text dirty: the next flush tries again.
    if (auto written = store_.updateStreamingReply(reply_, content_, reasoning_); !written)
        return written;
    dirty_ = false;
    lastFlush_ = clock_();
    ++flushes_;
    return {};
}

Expected<void> StreamingWriter::finish(const ReplyStats& stats, FinishReason reason) {
    if (auto finished = store_.finishReply(reply_, content_, reasoning_, stats, reason); !finished)
        return finished;
    dirty_ = false;
    ++flushes_;
    return {};
}

} // namespace lucent
