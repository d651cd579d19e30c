// What `redress serve` counts, written in the Prometheus text format (GET /metrics). Every
// counter is atomic: request threads record without a lock.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "redress/live_pack.hpp"

namespace redress::serve {

class Metrics {
 public:
  // One evaluation (a single case or one line of a bulk request) and how long it took.
  void evaluation(std::chrono::nanoseconds took, bool ok);
  void request(int status);
  void reload(bool ok);

  // The text exposition, including the serving pack's generation, fingerprint and playbooks.
  std::string prometheus(const LiveVersion& serving) const;

 private:
  // Upper bounds of the latency histogram, in microseconds (+Inf is the count).
  static constexpr std::array<std::int64_t, 12> kBucketsMicros = {25, 50, 100, 250, 500, 1000, 2500,
                                                                 5000, 10000, 25000, 100000, 1000000};
  static constexpr std::array<int, 9> kStatuses = {200, 400, 404, 405, 408, 413, 422, 500, 503};

  std::atomic<std::uint64_t> evaluations_{0}, evaluation_errors_{0};
  std::array<std::atomic<std::uint64_t>, kBucketsMicros.size()> buckets_{};
  std::atomic<std::uint64_t> latency_count_{0}, latency_sum_nanos_{0};
  std::array<std::atomic<std::uint64_t>, kStatuses.size() + 1> requests_{};  // the last: other
  std::atomic<std::uint64_t> reloads_ok_{0}, reloads_failed_{0};
};

}  // namespace redress::serve
