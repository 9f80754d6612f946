#include "app/library/TransferRate.h"

#include <cmath>

namespace lucent::library {

TransferRate::TransferRate(qint64 windowMs) : windowMs_(windowMs) { restart(); }

void TransferRate::restart() {
    clock_.start();
    total_ = 0;
    samples_.clear();
    samples_.emplace_back(0, 0);
}

void TransferRate::add(qint64 bytes) { addAt(clock_.elapsed(), bytes); }

void TransferRate::addAt(qint64 elapsedMs, qint64 bytes) {
    total_ += bytes;
    samples_.emplace_back(elapsedMs, total_);
    // Keep one sample older than the window so the rate spans the whole window.
    while (samples_.size() > 2 && samples_[1].first < elapsedMs - windowMs_) samples_.pop_front();
}

double TransferRate::bytesPerSecond() const {
    const auto& [firstMs, firstBytes] = samples_.front();
    const auto& [lastMs, lastBytes] = samples_.back();
    if (lastMs - firstMs < 100) return 0.0;
    return double(lastBytes - firstBytes) * 1000.0 / double(lastMs - firstMs);
}

qint64 TransferRate::etaSeconds(qint64 remainingBytes) const {
    const double rate = bytesPerSecond();
    if (remainingBytes < 0 || rate <= 0.0) return -1;
    return qint64(std::ceil(double(remainingBytes) / rate));
}

} // namespace lucent::library
