#include "app/cli/InterruptCancel.h"

namespace lucent::cli {
namespace {

// A signal handler may only touch lock-free atomics; std::atomic<bool> is one on every target we build.
std::atomic<bool> interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void onInterrupt(int) { interrupted.store(true, std::memory_order_relaxed); }

} // namespace

InterruptCancel::InterruptCancel() {
    interrupted.store(false);
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND; // the second Ctrl+C ends the process the usual way
    sigaction(SIGINT, &action, &previous_);
}

InterruptCancel::~InterruptCancel() { sigaction(SIGINT, &previous_, nullptr); }

const std::atomic<bool>* InterruptCancel::cancelFlag() const { return &interrupted; }

} // namespace lucent::cli
