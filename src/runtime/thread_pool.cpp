#include "runtime/thread_pool.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>

namespace redress::runtime {

// One parallel_for: the chunks still to hand out, and who is working on them.
struct ThreadPool::Loop {
  std::size_t n = 0, chunk = 1;
  const std::function<void(std::size_t, std::size_t)>* body = nullptr;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};

  std::mutex mutex;
  std::condition_variable idle;
  unsigned running = 0;   // helpers inside work()
  bool closed = false;    // the caller has finished: late helpers must not start
  std::exception_ptr error;

  void work() {
    while (!failed.load(std::memory_order_relaxed)) {
      std::size_t begin = next.fetch_add(chunk);
      if (begin >= n) return;
      try {
        (*body)(begin, std::min(n, begin + chunk));
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  }

  // A worker's share: only while the caller is still inside parallel_for.
  void help() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (closed) return;
      ++running;
    }
    work();
    std::lock_guard<std::mutex> lock(mutex);
    if (--running == 0) idle.notify_all();
  }
};

ThreadPool::ThreadPool(unsigned workers) : owner_pid_(static_cast<long>(::getpid())) {
  threads_.reserve(workers);
  for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) t.join();
}

void ThreadPool::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and nothing left
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

void ThreadPool::post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  ready_.notify_one();
}

void ThreadPool::parallel_for(std::size_t n, unsigned parallelism,
                              const std::function<void(std::size_t, std::size_t)>& body) {
  if (n == 0) return;
  // After fork() the child's pool object has no threads behind it: work alone.
  unsigned helpers = static_cast<long>(::getpid()) == owner_pid_ ? workers() : 0;
  if (parallelism > 0) helpers = std::min(helpers, parallelism - 1);
  // Chunks small enough to balance uneven cases, large enough to keep the counter cold.
  const std::size_t threads = std::size_t{helpers} + 1;
  const std::size_t chunk = std::max<std::size_t>(1, std::min<std::size_t>(64, n / (threads * 8) + 1));
  helpers = static_cast<unsigned>(std::min<std::size_t>(helpers, (n + chunk - 1) / chunk - 1));
  if (helpers == 0) {
    for (std::size_t begin = 0; begin < n; begin += chunk) body(begin, std::min(n, begin + chunk));
    return;
  }
  auto loop = std::make_shared<Loop>();
  loop->n = n;
  loop->chunk = chunk;
  loop->body = &body;
  for (unsigned i = 0; i < helpers; ++i) post([loop] { loop->help(); });
  loop->work();
  std::unique_lock<std::mutex> lock(loop->mutex);
  loop->closed = true;
  loop->idle.wait(lock, [&] { return loop->running == 0; });
  if (loop->error) std::rethrow_exception(loop->error);
}

ThreadPool& ThreadPool::shared() {
  static ThreadPool* pool = [] {
    unsigned cores = std::thread::hardware_concurrency();
    return new ThreadPool(cores > 1 ? cores - 1 : 0);
  }();
  return *pool;
}

}  // namespace redress::runtime
