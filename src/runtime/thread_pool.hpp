// A small pool of worker threads for data-parallel loops: Pack::evaluate_many, the CLI and the
// Python module share one (ThreadPool::shared()), so a process never runs more evaluation
// threads than it has cores, however many batches run at once.
//
// The caller of parallel_for always works too and never waits for a worker that has not
// started: a loop finishes even when every worker is busy (nested or concurrent loops), and in
// a child process after fork(), whose copy of the pool has no threads, it runs on the caller.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace redress::runtime {

class ThreadPool {
 public:
  // `workers` threads besides the callers; 0 runs every loop on its caller.
  explicit ThreadPool(unsigned workers);
  // Finishes queued work and joins the workers. No parallel_for may be running.
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  unsigned workers() const { return static_cast<unsigned>(threads_.size()); }

  // Calls body(begin, end) on consecutive chunks covering [0, n), each exactly once, on the
  // calling thread and on up to `parallelism - 1` workers at a time (0: as many as the pool
  // has). Returns when every chunk is done. If a body throws, the chunks not yet started are
  // skipped and the first exception is rethrown here.
  void parallel_for(std::size_t n, unsigned parallelism,
                    const std::function<void(std::size_t begin, std::size_t end)>& body);

  // The process-wide pool: one worker per core beyond the caller's
  // (std::thread::hardware_concurrency() - 1), started on first use and never destroyed (its
  // idle threads end with the process).
  static ThreadPool& shared();

 private:
  struct Loop;
  void post(std::function<void()> task);
  void work();

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  long owner_pid_ = 0;  // the process that started the threads
};

}  // namespace redress::runtime
