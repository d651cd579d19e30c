// redress's side of the peer comparison (benchmarks/peers/run.js): reads the shared cases
// (JSON Lines, generate.js), evaluates them against the bundled pack, writes each answer in the
// peers' shape and prints the timings as one JSON object. Also times the hand-written C++ of the
// same decision: the floor no engine can beat.
//   redress_peer PACK CASES.jsonl ANSWERS.jsonl [RUNS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <time.h>
#include <vector>

#include "redress/redress.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// The decision the peers compute, in their shape.
struct Answer {
  std::string state, level;
  long long total_cents = 0;
  bool capped = false;
  std::string approval;  // "" = null
  bool held = false;
  bool operator==(const Answer& o) const {
    return state == o.state && level == o.level && total_cents == o.total_cents && capped == o.capped &&
           approval == o.approval && held == o.held;
  }
};

long long cents_of(const redress::Money& m) {
  return static_cast<long long>(m.amount.raw() / (redress::Decimal::kOne / 100));
}

Answer answer_of(const redress::Decision& d) {
  return {d.state, d.escalation.level, cents_of(d.compensation.total), d.compensation.capped,
          d.compensation.approval.value_or(""), d.compensation.held};
}

// The same decision by hand, over native fields: what the playbook says, with nothing general.
struct Native {
  long long order_value, shipping_fee;
  int days_late, contacts, claims_90d;
  char tier, emotion;  // 's'tandard/'S'ilver/'g'old; 'c'alm/'u'pset/'a'ggressive
  bool public_;
};

struct NativeAnswer {
  const char* state;
  const char* level;
  long long total_cents;
  bool capped;
  const char* approval;
  bool held;
};

const char* const kLadder[] = {"agent", "supervisor", "manager", "director"};

NativeAnswer decide_by_hand(const Native& c) {
  bool vip = c.tier == 'g' || c.order_value >= 100000;
  int rank = 0;
  if (c.emotion == 'a') rank = std::max(rank, 1);
  if (c.contacts >= 3) rank = std::min(rank + 1, 3);
  if (c.public_) rank = std::max(rank, 1);
  if (vip) rank = std::max(rank, 2);
  long long sum = 0;
  if (c.days_late >= 1) sum += c.shipping_fee;
  if (c.days_late >= 3) sum += (c.order_value * c.days_late + 100) / 200;
  if (c.tier == 'g') sum += 1000;
  long long cap = c.order_value > 0 ? std::min(c.order_value, 10000LL) : 10000;
  long long total = std::min(sum, cap);
  bool held = c.claims_90d >= 3;
  const char* approval = held ? "manager" : total > 8000 ? "manager" : total > 3000 ? "supervisor" : "";
  return {c.days_late >= 1 ? "offer" : "investigating", kLadder[rank], total, cap < sum, approval, held};
}

const redress::Value* find_fact(const redress::Case& c, const std::string& name) {
  for (const auto& [n, v] : c.facts)
    if (n == name) return &v;
  return nullptr;
}

long long money_cents(const redress::Case& c, const char* name) {
  return cents_of(*redress::Money::parse(find_fact(c, name)->as_string()));
}

Native native_of(const redress::Case& c) {
  // JSON numbers are read as Int values (the simdjson case reader), YAML ones as text: by display.
  auto num = [&](const char* n) { return std::stoi(find_fact(c, n)->to_display()); };
  return {money_cents(c, "order_value"), money_cents(c, "shipping_fee"), num("days_late"), num("contacts"),
          num("claims_90d"), find_fact(c, "tier")->as_string()[1] == 'i' ? 'S' : find_fact(c, "tier")->as_string()[0],
          find_fact(c, "emotion")->as_string()[0], find_fact(c, "public")->as_bool()};
}

// The case with its names bound and its values typed: what a CRM prepares once per record.
redress::BoundCase bind(const redress::Pack& pack, const redress::Case& c) {
  redress::BoundCase b;
  b.playbook = *pack.playbook_ref(c.playbook);
  b.state = pack.state_ref(b.playbook, c.state);
  b.now = c.now;
  b.entered_at = c.entered_at;
  const redress::PlaybookInfo& info = pack.playbooks()[b.playbook.index];
  for (const auto& [name, v] : c.facts) {
    auto ref = pack.fact_ref(b.playbook, name);
    if (!ref) continue;
    const std::string& type = info.facts[ref->index].type;
    if (type == "money" && v.kind() == redress::Value::Kind::String)
      b.fact(*ref, redress::Value::money(*redress::Money::parse(v.as_string())));
    else if (type == "int" && v.kind() == redress::Value::Kind::String)
      b.fact(*ref, redress::Value::integer(std::stoll(v.as_string())));
    else
      b.fact(*ref, v);
  }
  return b;
}

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Medians over `runs` of the seconds one pass takes: CPU time of the process (every thread) and
// wall time. On a shared machine the CPU time is the steadier figure.
struct Seconds {
  double cpu = 0, wall = 0;
};
template <typename F>
Seconds median_seconds(int runs, F&& pass) {
  std::vector<double> cpu, wall;
  for (int i = 0; i < runs; ++i) {
    double c0 = process_cpu_seconds();
    auto start = Clock::now();
    pass();
    wall.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    cpu.push_back(process_cpu_seconds() - c0);
  }
  std::sort(cpu.begin(), cpu.end());
  std::sort(wall.begin(), wall.end());
  return {cpu[cpu.size() / 2], wall[wall.size() / 2]};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: redress_peer PACK CASES.jsonl ANSWERS.jsonl [RUNS]\n";
    return 2;
  }
  const int runs = argc > 4 ? std::max(1, std::atoi(argv[4])) : 3;
  const redress::Pack pack = redress::Pack::load(argv[1]);
  std::ifstream in(argv[2]);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  if (lines.empty()) {
    std::cerr << "redress_peer: no cases in " << argv[2] << "\n";
    return 2;
  }

  std::vector<redress::Case> cases;
  std::vector<redress::BoundCase> bound;
  std::vector<Native> natives;
  for (const auto& line : lines) {
    cases.push_back(redress::parse_case(line));
    bound.push_back(bind(pack, cases.back()));
    natives.push_back(native_of(cases.back()));
  }
  const double n = static_cast<double>(lines.size());

  // Answers first, checked against the hand-written decision before anything is timed.
  std::ofstream out(argv[3]);
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < bound.size(); ++i) {
    Answer a = answer_of(pack.evaluate(bound[i]));
    NativeAnswer h = decide_by_hand(natives[i]);
    Answer b{h.state, h.level, h.total_cents, h.capped, h.approval, h.held};
    if (!(a == b) && mismatches++ < 5) std::cerr << "redress_peer: case " << i + 1 << " differs from the hand-written decision\n";
    out << "{\"state\":\"" << a.state << "\",\"level\":\"" << a.level << "\",\"total_cents\":" << a.total_cents
        << ",\"capped\":" << (a.capped ? "true" : "false") << ",\"approval\":"
        << (a.approval.empty() ? "null" : "\"" + a.approval + "\"") << ",\"held\":" << (a.held ? "true" : "false") << "}\n";
  }
  out.close();

  std::size_t sink = 0;
  Seconds bound_s = median_seconds(runs, [&] {
    for (const auto& c : bound) sink += pack.evaluate(c).path.size();
  });
  redress::Decision reused;
  Seconds into_s = median_seconds(runs, [&] {
    for (const auto& c : bound) {
      pack.evaluate_into(c, reused);
      sink += reused.path.size();
    }
  });
  Seconds case_s = median_seconds(runs, [&] {
    for (const auto& c : cases) sink += pack.evaluate(c).path.size();
  });
  Seconds json_s = median_seconds(runs, [&] {
    for (const auto& line : lines) sink += redress::to_json(pack.evaluate(redress::parse_case(line))).size();
  });
  Seconds two_s = median_seconds(runs, [&] {
    std::size_t half = bound.size() / 2, sinks[2] = {0, 0};
    std::thread other([&] {
      for (std::size_t i = half; i < bound.size(); ++i) sinks[1] += pack.evaluate(bound[i]).path.size();
    });
    for (std::size_t i = 0; i < half; ++i) sinks[0] += pack.evaluate(bound[i]).path.size();
    other.join();
    sink += sinks[0] + sinks[1];
  });
  volatile long long floor_sink = 0;
  Seconds floor_s = median_seconds(std::max(runs, 5), [&] {
    long long s = 0;
    for (const auto& c : natives) s += decide_by_hand(c).total_cents;
    floor_sink = floor_sink + s;
  });

  auto us = [&](double seconds) { return seconds / n * 1e6; };
  std::printf("{\"cases\":%zu,\"runs\":%d,\"mismatches\":%zu,"
              "\"bound_us\":%.4f,\"into_us\":%.4f,\"into_wall_us\":%.4f,\"case_us\":%.4f,\"json_us\":%.4f,\"floor_us\":%.5f,"
              "\"bound_wall_us\":%.4f,\"case_wall_us\":%.4f,\"json_wall_us\":%.4f,\"floor_wall_us\":%.5f,"
              "\"bound_2threads_wall_us\":%.4f,\"bound_2threads_cpu_us\":%.4f,\"sink\":%zu}\n",
              lines.size(), runs, mismatches, us(bound_s.cpu), us(into_s.cpu), us(into_s.wall), us(case_s.cpu), us(json_s.cpu), us(floor_s.cpu),
              us(bound_s.wall), us(case_s.wall), us(json_s.wall), us(floor_s.wall), us(two_s.wall), us(two_s.cpu), sink);
  return mismatches ? 1 : 0;
}
