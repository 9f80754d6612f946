#pragma once
/// @file
/// @brief Ctrl+C (SIGINT) as a cancel flag for a running generation, so the command can still print
/// what it has instead of dying mid-line.

#include <atomic>
#include <csignal>

namespace lucent::cli {

/// @brief While alive, SIGINT sets cancelFlag() instead of killing the process. The handler is
/// one-shot: a second Ctrl+C gets the default behaviour (the process ends), so a stuck run can
/// still be killed. The previous handler comes back on destruction. One instance at a time.
class InterruptCancel {
public:
    InterruptCancel();
    ~InterruptCancel();
    InterruptCancel(const InterruptCancel&) = delete;
    InterruptCancel& operator=(const InterruptCancel&) = delete;

    /// @brief The flag to hand to Session / generateReply (ReplyOptions::cancel).
    const std::atomic<bool>* cancelFlag() const;

private:
    struct sigaction previous_ {};
};

} // namespace lucent::cli
