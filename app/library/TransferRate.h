#pragma once
/// @file
/// @brief Download speed over the last few seconds (not since the start, so a stall shows at once)
/// and the time left at that speed.

#include <QElapsedTimer>
#include <deque>
#include <utility>

namespace lucent::library {

/// @brief Feeds on byte counts as they arrive; reports bytes per second over a sliding window.
class TransferRate {
public:
    explicit TransferRate(qint64 windowMs = 5000);

    /// @brief Forgets the history and starts the clock.
    void restart();
    /// @brief Records `bytes` more arrived now.
    void add(qint64 bytes);
    /// @brief Records `bytes` at an explicit time (ms since restart) — for tests.
    void addAt(qint64 elapsedMs, qint64 bytes);

    /// @brief Bytes per second over the window; 0 until two samples are at least 100 ms apart.
    double bytesPerSecond() const;
    /// @brief Seconds until `remainingBytes` are in at the current speed; -1 when unknown.
    qint64 etaSeconds(qint64 remainingBytes) const;

private:
    qint64 windowMs_;
    QElapsedTimer clock_;
    qint64 total_ = 0;
    std::deque<std::pair<qint64, qint64>> samples_; ///< (ms since restart, total bytes then)
};

} // namespace lucent::library
