#include "serve/metrics.hpp"

#include <sstream>

namespace redress::serve {

namespace {

// A Prometheus label value: backslash, double quote and newline escaped.
std::string label(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::evaluation(std::chrono::nanoseconds took, bool ok) {
  (ok ? evaluations_ : evaluation_errors_).fetch_add(1, std::memory_order_relaxed);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  for (std::size_t i = 0; i < kBucketsMicros.size(); ++i)
    if (micros <= kBucketsMicros[i]) buckets_[i].fetch_add(1, std::memory_order_relaxed);
  latency_count_.fetch_add(1, std::memory_order_relaxed);
  latency_sum_nanos_.fetch_add(static_cast<std::uint64_t>(took.count()), std::memory_order_relaxed);
}

void Metrics::request(int status) {
  std::size_t i = 0;
  while (i < kStatuses.size() && kStatuses[i] != status) ++i;
  requests_[i].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::reload(bool ok) { (ok ? reloads_ok_ : reloads_failed_).fetch_add(1, std::memory_order_relaxed); }

std::string Metrics::prometheus(const LiveVersion& serving) const {
  std::ostringstream out;
  auto counter = [&](const char* name, const char* help) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " counter\n";
  };
  counter("redress_evaluations_total", "Cases evaluated into a Decision (bulk lines included).");
  out << "redress_evaluations_total " << evaluations_.load() << "\n";
  counter("redress_evaluation_errors_total", "Cases refused: unreadable, or an evaluation error.");
  out << "redress_evaluation_errors_total " << evaluation_errors_.load() << "\n";

  out << "# HELP redress_evaluation_duration_seconds Time to read and evaluate one case.\n"
         "# TYPE redress_evaluation_duration_seconds histogram\n";
  for (std::size_t i = 0; i < kBucketsMicros.size(); ++i)
    out << "redress_evaluation_duration_seconds_bucket{le=\"" << static_cast<double>(kBucketsMicros[i]) / 1e6
        << "\"} " << buckets_[i].load() << "\n";
  const auto count = latency_count_.load();
  out << "redress_evaluation_duration_seconds_bucket{le=\"+Inf\"} " << count << "\n";
  out << "redress_evaluation_duration_seconds_sum " << static_cast<double>(latency_sum_nanos_.load()) / 1e9 << "\n";
  out << "redress_evaluation_duration_seconds_count " << count << "\n";

  counter("redress_http_requests_total", "HTTP requests answered, by status code.");
  for (std::size_t i = 0; i < requests_.size(); ++i) {
    if (requests_[i].load() == 0) continue;
    out << "redress_http_requests_total{code=\"" << (i < kStatuses.size() ? std::to_string(kStatuses[i]) : "other")
        << "\"} " << requests_[i].load() << "\n";
  }
  counter("redress_pack_reloads_total", "Pack reloads (SIGHUP or a file change), by result.");
  out << "redress_pack_reloads_total{result=\"ok\"} " << reloads_ok_.load() << "\n";
  out << "redress_pack_reloads_total{result=\"failed\"} " << reloads_failed_.load() << "\n";

  out << "# HELP redress_pack_info The pack serving now: its generation (1 = first load) and fingerprint.\n"
         "# TYPE redress_pack_info gauge\n";
  out << "redress_pack_info{generation=\"" << serving.generation << "\",fingerprint=\""
      << label(serving.pack.fingerprint()) << "\"} 1\n";
  out << "# HELP redress_playbook_info Each playbook serving now, with its version and fingerprint.\n"
         "# TYPE redress_playbook_info gauge\n";
  for (const auto& p : serving.pack.playbooks())
    out << "redress_playbook_info{playbook=\"" << label(p.id) << "\",version=\"" << label(p.version)
        << "\",fingerprint=\"" << label(p.fingerprint) << "\"} 1\n";
  return out.str();
}

}  // namespace redress::serve
