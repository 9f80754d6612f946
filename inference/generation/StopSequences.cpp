#include "inference/generation/StopSequences.h"

#include "inference/generation/PartialMatch.h"

#include <algorithm>

namespace lucent {

StopSequences::StopSequences(std::vector<std::string> stops) : stops_(std::move(stops)) {
    std::erase_if(stops_, [](const std::string& stop) { return stop.empty(); });
}

StopDelta StopSequences::feed(std::string_view piece) {
    StopDelta delta;
    delta.stopped = stopped_;
    if (stopped_) return delta;
    pending_.append(piece);

    // Earliest completion wins; among stops completing at the same byte, the longest (earliest start).
    std::size_t bestEnd = std::string::npos;
    std::size_t bestStart = 0;
    const std::string* best = nullptr;
    for (const std::string& stop : stops_) {
        const std::size_t start = pending_.find(stop); // the first occurrence also ends first
        if (start == std::string::npos) continue;
        const std::size_t end = start + stop.size();
        if (end < bestEnd || (end == bestEnd && start < bestStart)) {
            bestEnd = end;
            bestStart = start;
            best = &stop;
        }
    }
    if (best) {
        delta.text = pending_.substr(0, bestStart);
        delta.stopped = stopped_ = true;
        matched_ = *best;
        pending_.clear();
        return delta;
    }
    const std::size_t held = heldPrefixLength(pending_, std::span<const std::string>(stops_));
    delta.text = pending_.substr(0, pending_.size() - held);
    pending_.erase(0, pending_.size() - held);
    return delta;
}

std::string StopSequences::finish() {
    std::string rest = std::move(pending_);
    pending_.clear();
    return rest;
}

} // namespace lucent
