#pragma once
/// @file
/// @brief A small fork-join pool: `run(n, fn)` calls fn(i) for every worker index in parallel.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <type_traits>
#include <mutex>
#include <thread>
#include <vector>

namespace lucent {

/// @brief Persistent worker threads for the forward pass. The calling thread works too, so a pool
/// of N threads starts N − 1 workers. Jobs are short (one mat-vec), so workers spin briefly before
/// sleeping: waking a sleeping thread costs more than most jobs.
class ThreadPool {
public:
    /// @brief `threads` = 0 uses every hardware thread.
    explicit ThreadPool(unsigned threads = 0);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    unsigned size() const { return unsigned(workers_.size()) + 1; }

    /// @brief Calls `job(thread, threadCount)` on every thread and returns when all are done.
    /// Takes any callable by reference (no std::function: the forward pass must not allocate).
    template <typename Job>
    void run(Job&& job) {
        runErased(&job, [](void* f, unsigned thread, unsigned count) { (*static_cast<std::remove_reference_t<Job>*>(f))(thread, count); });
    }

    /// @brief Splits [0, n) into contiguous chunks, one per thread: `body(begin, end)`.
    template <typename Body>
    void parallelFor(size_t n, Body&& body) {
        run([&](unsigned thread, unsigned count) {
            const size_t begin = n * thread / count, end = n * (thread + 1) / count;
            if (begin < end) body(begin, end);
        });
    }

private:
    using Invoker = void (*)(void* job, unsigned thread, unsigned count);
    void runErased(void* job, Invoker invoke);
    void workerLoop(unsigned index);

    std::vector<std::thread> workers_;
    void* job_ = nullptr;
    Invoker invoke_ = nullptr;
    std::atomic<uint64_t> generation_{0};
    std::atomic<unsigned> pending_{0};
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
};

} // namespace lucent
