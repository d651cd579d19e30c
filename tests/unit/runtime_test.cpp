// The shared thread pool (src/runtime/): every index once, exceptions carried to the caller,
// loops that finish even when no worker is free.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "runtime/thread_pool.hpp"

using redress::runtime::ThreadPool;

namespace {

// How many times parallel_for visited each index (doctest's checks stay on this thread).
std::vector<int> visits(ThreadPool& pool, std::size_t n, unsigned parallelism) {
  std::vector<std::atomic<int>> seen(n);
  std::atomic<int> bad_chunks{0};
  pool.parallel_for(n, parallelism, [&](std::size_t begin, std::size_t end) {
    if (begin >= end || end > n) ++bad_chunks;
    for (std::size_t i = begin; i < end && i < n; ++i) seen[i].fetch_add(1);
  });
  CHECK(bad_chunks == 0);
  std::vector<int> out;
  for (auto& s : seen) out.push_back(s.load());
  return out;
}

}  // namespace

TEST_CASE("thread pool: each index exactly once, whatever the size and parallelism") {
  for (unsigned workers : {0u, 1u, 3u}) {
    ThreadPool pool(workers);
    CHECK(pool.workers() == workers);
    for (std::size_t n : {0u, 1u, 7u, 64u, 1000u, 10007u})
      for (unsigned parallelism : {0u, 1u, 2u, 16u}) {
        CAPTURE(workers); CAPTURE(n); CAPTURE(parallelism);
        auto seen = visits(pool, n, parallelism);
        CHECK(std::count(seen.begin(), seen.end(), 1) == static_cast<std::ptrdiff_t>(n));
      }
  }
}

TEST_CASE("thread pool: parallelism 1 runs everything on the caller") {
  ThreadPool pool(3);
  const auto caller = std::this_thread::get_id();
  std::atomic<int> elsewhere{0};
  pool.parallel_for(5000, 1, [&](std::size_t, std::size_t) {
    if (std::this_thread::get_id() != caller) ++elsewhere;
  });
  CHECK(elsewhere == 0);
}

TEST_CASE("thread pool: the first exception reaches the caller, and the pool keeps working") {
  ThreadPool pool(2);
  CHECK_THROWS_WITH_AS(pool.parallel_for(1000, 0,
                                         [&](std::size_t begin, std::size_t end) {
                                           if (begin <= 500 && 500 < end) throw std::runtime_error("case 500");
                                         }),
                       "case 500", std::runtime_error);
  auto seen = visits(pool, 1000, 0);
  CHECK(std::count(seen.begin(), seen.end(), 1) == 1000);
}

TEST_CASE("thread pool: loops inside loops and loops from many threads finish") {
  ThreadPool pool(2);
  std::atomic<long> sum{0};
  pool.parallel_for(20, 0, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      pool.parallel_for(100, 0, [&](std::size_t b, std::size_t e) { sum += static_cast<long>(e - b); });
  });
  CHECK(sum == 2000);

  std::vector<std::thread> callers;
  std::atomic<long> total{0};
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&] {
      pool.parallel_for(3000, 0, [&](std::size_t b, std::size_t e) { total += static_cast<long>(e - b); });
    });
  for (auto& t : callers) t.join();
  CHECK(total == 12000);
}

TEST_CASE("thread pool: the shared pool has one worker per core beyond the caller") {
  unsigned cores = std::thread::hardware_concurrency();
  CHECK(ThreadPool::shared().workers() == (cores > 1 ? cores - 1 : 0));
  CHECK(&ThreadPool::shared() == &ThreadPool::shared());
}
