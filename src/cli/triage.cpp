#include "cli/triage.hpp"

#include <algorithm>
#include <iostream>

#include "cli/common.hpp"
#include "redress/pack.hpp"
#include "util/json_writer.hpp"

namespace redress::cli {

namespace {

// One line per playbook: matched, or why not (the `match` that was false, where, what it read).
void print_explanation(std::ostream& out, const std::vector<TriageResult>& results) {
  std::size_t width = 0;
  for (const auto& r : results) width = std::max(width, r.playbook.size());
  for (const auto& r : results) {
    out << "  " << r.playbook << std::string(width + 2 - r.playbook.size(), ' ');
    if (r.matched) {
      out << "matches";
      if (!r.rank.empty()) out << ", rank " << r.rank;
      out << "\n";
      continue;
    }
    std::string why = r.why;  // several facts that do not validate: one line, "; " between
    for (std::size_t at = why.find('\n'); at != std::string::npos; at = why.find('\n', at)) why.replace(at, 1, "; ");
    out << "no: " << why;
    if (r.at) out << ": " << r.expr << " (" << to_string(*r.at) << ")";
    if (!r.read.empty()) {
      out << " with ";
      for (std::size_t i = 0; i < r.read.size(); ++i) out << (i ? ", " : "") << r.read[i];
    }
    out << "\n";
  }
}

void write_explanation(util::JsonWriter& w, const std::vector<TriageResult>& results) {
  w.key("results").begin_array();
  for (const auto& r : results) {
    w.begin_object().key("playbook").string(r.playbook).key("matched").boolean(r.matched);
    w.key("rank");
    if (r.rank.empty()) w.null(); else w.string(r.rank);
    w.key("why");
    if (r.matched) w.null(); else w.string(r.why);
    w.key("at");
    if (r.at) w.string(to_string(*r.at)); else w.null();
    w.key("expr");
    if (r.at) w.string(r.expr); else w.null();
    w.key("read").begin_array();
    for (const auto& line : r.read) w.string(line);
    w.end_array().end_object();
  }
  w.end_array();
}

}  // namespace

int run_triage(const TriageOptions& options) {
  Pack pack = Pack::load(options.paths);
  Case c;
  if (int rc = read_case(options.case_path, options.now, c); rc != kOk) return rc;
  EvaluateOptions evaluate;
  evaluate.clock = true;
  const bool all = options.all || c.triage == Triage::All;
  const std::vector<TriageResult> results = pack.explain_triage(c, evaluate);
  const bool none = std::none_of(results.begin(), results.end(), [](const TriageResult& r) { return r.matched; });
  if (none && !options.explain) {
    std::cerr << "no playbook matches this case:\n";
    print_explanation(std::cerr, results);
  }
  std::vector<std::string> ids;
  if (all) {
    ids = pack.triage_all(c, evaluate);
    if (ids.empty() && !options.explain) throw EvaluationError("no playbook matches this case (triage tried every playbook with a 'match')");
  } else if (!none || !options.explain) {
    ids.push_back(pack.triage(c, evaluate));  // throws when none matches
  }
  if (ids.empty())  // only with --explain, which prints each playbook's reason on stdout
    std::cerr << "error: no playbook matches this case (the explanation says why for each)\n";
  if (!options.json) {
    for (const auto& id : ids) std::cout << id << "\n";
    if (options.explain) print_explanation(std::cout, results);
    return ids.empty() ? kBadInput : kOk;
  }
  util::JsonWriter w(false);
  w.begin_object();
  if (all) {
    w.key("playbooks").begin_array();
    for (const auto& id : ids) w.string(id);
    w.end_array();
  } else if (!ids.empty()) {
    w.key("playbook").string(ids.front());
    for (const auto& p : pack.playbooks())
      if (p.id == ids.front()) w.key("version").string(p.version).key("fingerprint").string(p.fingerprint);
  } else {
    w.key("playbook").null();
  }
  if (options.explain) write_explanation(w, results);
  w.end_object();
  std::cout << w.str() << "\n";
  return ids.empty() ? kBadInput : kOk;
}

}  // namespace redress::cli
