#include "inference/generation/PenaltyHistory.h"

namespace lucent {

void PenaltyHistory::accept(int32_t token) {
    if (window_ == 0) return;
    ++counts_[token];
    if (window_ < 0) {
        ++unboundedSize_;
        return;
    }
    recent_.push_back(token);
    if (recent_.size() > std::size_t(window_)) {
        const int32_t oldest = recent_.front();
        recent_.pop_front();
        if (--counts_[oldest] == 0) counts_.erase(oldest);
    }
}

void PenaltyHistory::clear() {
    recent_.clear();
    counts_.clear();
    unboundedSize_ = 0;
}

} // namespace lucent
