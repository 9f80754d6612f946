#include "inference/cpu/ThreadPool.h"

#include <algorithm>

namespace lucent {
namespace {
// Spin iterations before a worker sleeps: long enough to bridge the gap between the mat-vecs of
// one token, short enough not to burn a shared core while the user reads.
constexpr int kSpinIterations = 20000;
} // namespace

ThreadPool::ThreadPool(unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 1; i < threads; ++i) workers_.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        generation_.fetch_add(1);
    }
    wake_.notify_all();
    for (auto& worker : workers_) worker.join();
}

void ThreadPool::runErased(void* job, Invoker invoke) {
    const unsigned count = size();
    if (count == 1) {
        invoke(job, 0, 1);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        job_ = job;
        invoke_ = invoke;
        pending_.store(count - 1);
        generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    invoke(job, 0, count);
    while (pending_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
}

void ThreadPool::workerLoop(unsigned index) {
    uint64_t seen = 0;
    for (;;) {
        int spins = 0;
        while (generation_.load(std::memory_order_acquire) == seen && spins < kSpinIterations) ++spins;
        if (generation_.load(std::memory_order_acquire) == seen) {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return generation_.load() != seen; });
        }
        seen = generation_.load(std::memory_order_acquire);
        if (stopping_) return;
        invoke_(job_, index, size());
        pending_.fetch_sub(1, std::memory_order_acq_rel);
    }
}

} // namespace lucent
