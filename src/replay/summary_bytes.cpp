// ReplaySummary <-> bytes, losslessly, for merging summaries made in other processes (Python
// pickles, Dask ships them). Layout: "rdsR", a version byte, then every field: integers as
// LEB128 varints, text as a length and its bytes, a Decimal as its 16 raw bytes, a map or list
// as its length and elements, a kept case's Decisions as encode_decision bytes. Reading checks
// every length against what is left: other bytes give std::invalid_argument, never a crash.
#include <cstring>
#include <stdexcept>

#include "redress/replay.hpp"

namespace redress {

namespace {

constexpr char kMagic[4] = {'r', 'd', 's', 'R'};
constexpr unsigned char kVersion = 1;

struct Writer {
  std::string out;
  void u(std::uint64_t v) {
    do {
      unsigned char b = v & 0x7f;
      v >>= 7;
      out += static_cast<char>(b | (v ? 0x80 : 0));
    } while (v);
  }
  void text(const std::string& s) {
    u(s.size());
    out += s;
  }
  void decimal(Decimal d) {
    int128_t raw = d.raw();
    char bytes[16];
    std::memcpy(bytes, &raw, 16);
    out.append(bytes, 16);
  }
  void money(const std::map<std::string, MoneyTotals>& m) {
    u(m.size());
    for (const auto& [code, t] : m) {
      text(code);
      decimal(t.before);
      decimal(t.after);
    }
  }
  void levels(const std::map<std::string, LevelCounts>& m) {
    u(m.size());
    for (const auto& [level, n] : m) {
      text(level);
      u(n.before);
      u(n.after);
    }
  }
};

struct Reader {
  std::string_view in;
  [[noreturn]] static void bad() { throw std::invalid_argument("not the bytes of a replay summary of this version"); }
  std::uint64_t u() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in.empty()) bad();
      auto b = static_cast<unsigned char>(in.front());
      in.remove_prefix(1);
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    bad();
  }
  std::size_t count() {  // a length: never more than the bytes left could hold
    std::uint64_t n = u();
    if (n > in.size()) bad();
    return static_cast<std::size_t>(n);
  }
  std::string text() {
    std::size_t n = count();
    std::string s(in.substr(0, n));
    in.remove_prefix(n);
    return s;
  }
  Decimal decimal() {
    if (in.size() < 16) bad();
    int128_t raw;
    std::memcpy(&raw, in.data(), 16);
    in.remove_prefix(16);
    Decimal d = Decimal::from_raw(raw);
    if (d < Decimal::min_value() || d > Decimal::max_value()) bad();
    return d;
  }
  std::map<std::string, MoneyTotals> money() {
    std::map<std::string, MoneyTotals> m;
    for (std::size_t n = count(); n > 0; --n) {
      std::string code = text();
      MoneyTotals& t = m[code];
      t.before = decimal();
      t.after = decimal();
    }
    return m;
  }
  std::map<std::string, LevelCounts> levels() {
    std::map<std::string, LevelCounts> m;
    for (std::size_t n = count(); n > 0; --n) {
      std::string level = text();
      LevelCounts& c = m[level];
      c.before = u();
      c.after = u();
    }
    return m;
  }
};

}  // namespace

std::string encode_summary(const ReplaySummary& s) {
  Writer w;
  w.out.assign(kMagic, 4);
  w.out += static_cast<char>(kVersion);
  for (std::uint64_t n : {s.cases, s.evaluated, s.errors, s.changed, s.playbook_changed, s.state_changed,
                          s.actions_changed, s.level_changed, s.compensation_changed, s.approval_changed})
    w.u(n);
  w.u(s.money_overflow);
  w.u(s.playbooks.size());
  for (const auto& [id, p] : s.playbooks) {
    w.text(id);
    w.u(p.cases);
    w.u(p.changed);
    w.money(p.compensation);
  }
  w.money(s.currencies);
  w.levels(s.approval_levels);
  w.levels(s.escalation_levels);
  w.u(s.rules.size());
  for (const auto& [key, r] : s.rules) {
    w.text(key);
    for (const std::string* t : {&r.rule.playbook, &r.rule.what, &r.rule.expr, &r.rule.at, &r.rule.old_expr}) w.text(*t);
    w.u(r.cases);
  }
  w.u(s.first_errors.size());
  for (const ReplayError& e : s.first_errors) {
    w.u(e.line);
    w.text(e.message);
  }
  w.u(s.top_cases.size());
  for (const ChangedCase& c : s.top_cases) {
    w.u(c.line);
    w.text(c.playbook);
    w.decimal(c.weight);
    w.text(encode_decision(c.before));
    w.text(encode_decision(c.after));
  }
  return w.out;
}

ReplaySummary decode_summary(std::string_view bytes) {
  if (bytes.size() < 5 || std::memcmp(bytes.data(), kMagic, 4) != 0 || static_cast<unsigned char>(bytes[4]) != kVersion)
    Reader::bad();
  Reader r{bytes.substr(5)};
  ReplaySummary s;
  for (std::uint64_t* n : {&s.cases, &s.evaluated, &s.errors, &s.changed, &s.playbook_changed, &s.state_changed,
                           &s.actions_changed, &s.level_changed, &s.compensation_changed, &s.approval_changed})
    *n = r.u();
  s.money_overflow = r.u() != 0;
  for (std::size_t n = r.count(); n > 0; --n) {
    std::string id = r.text();
    PlaybookImpact& p = s.playbooks[id];
    p.cases = r.u();
    p.changed = r.u();
    p.compensation = r.money();
  }
  s.currencies = r.money();
  s.approval_levels = r.levels();
  s.escalation_levels = r.levels();
  for (std::size_t n = r.count(); n > 0; --n) {
    std::string key = r.text();
    RuleImpact& impact = s.rules[key];
    for (std::string* t : {&impact.rule.playbook, &impact.rule.what, &impact.rule.expr, &impact.rule.at, &impact.rule.old_expr})
      *t = r.text();
    impact.cases = r.u();
  }
  for (std::size_t n = r.count(); n > 0; --n) {
    ReplayError e;
    e.line = r.u();
    e.message = r.text();
    s.first_errors.push_back(std::move(e));
  }
  for (std::size_t n = r.count(); n > 0; --n) {
    ChangedCase c;
    c.line = r.u();
    c.playbook = r.text();
    c.weight = r.decimal();
    c.before = decode_decision(r.text());
    c.after = decode_decision(r.text());
    s.top_cases.push_back(std::move(c));
  }
  if (!r.in.empty()) Reader::bad();
  return s;
}

}  // namespace redress
