#include "cli/eval.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "cli/common.hpp"
#include "cli/eval_compound.hpp"
#include "redress/json_lines.hpp"
#include "redress/pack.hpp"

namespace redress::cli {

namespace {

// ANSI colour on a terminal only, and never when NO_COLOR is set (no-color.org).
struct Style {
  bool on = false;
  std::string wrap(std::string_view code, std::string_view text) const {
    if (!on) return std::string(text);
    return "\033[" + std::string(code) + "m" + std::string(text) + "\033[0m";
  }
  std::string label(std::string_view t) const { return wrap("1", t); }
  std::string good(std::string_view t) const { return wrap("32", t); }
  std::string warn(std::string_view t) const { return wrap("33", t); }
  std::string bad(std::string_view t) const { return wrap("1;31", t); }
  std::string dim(std::string_view t) const { return wrap("2", t); }
};

constexpr int kLabelWidth = 14;

std::string pad(std::string_view s, std::size_t width) {
  std::string out(s);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

// "label" padded to the value column.
void row(const Style& st, std::string_view label, const std::string& value) {
  std::cout << st.label(pad(label, kLabelWidth)) << value << "\n";
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? std::string(sep) : "") + parts[i];
  return out;
}

// The facts the evaluation used: those the case gave, then the declared defaults it filled in.
void print_inputs(const Style& st, const Case& c, const PlaybookInfo* info) {
  std::vector<std::pair<std::string, std::string>> rows;
  if (c.now) rows.emplace_back("now", c.now->to_string());
  else rows.emplace_back("now", "the current time " + st.dim("(the case gives no `now`)"));
  if (c.entered_at) rows.emplace_back("entered_at", c.entered_at->to_string());
  if (!c.event.empty()) rows.emplace_back("event", c.event);
  // As the case gave them: text unquoted (numbers and money arrive as their exact text).
  for (const auto& [name, value] : c.facts)
    rows.emplace_back(name, value.kind() == Value::Kind::String ? value.as_string() : value.to_display());
  if (info) {
    for (const FactInfo& f : info->facts) {
      const bool given = std::any_of(c.facts.begin(), c.facts.end(), [&](const auto& kv) { return kv.first == f.name; });
      if (given) continue;
      if (f.default_value) rows.emplace_back(f.name, *f.default_value + " " + st.dim("(default)"));
      else if (f.optional) rows.emplace_back(f.name, st.dim("(not given)"));
    }
  }
  std::size_t width = 0;
  for (const auto& r : rows) width = std::max(width, r.first.size());
  std::cout << st.label("inputs") << "\n";
  for (const auto& [name, value] : rows) std::cout << "  " << pad(name, width + 2) << value << "\n";
}

void print_human(const Decision& d, const Case& c, const PlaybookInfo* info, const Style& st) {
  row(st, "playbook", d.playbook + (d.version.empty() ? "" : " (" + d.version + ")"));
  row(st, "state", st.good(d.state) + (d.terminal ? " (terminal)" : ""));
  if (d.path.size() > 1) row(st, "path", join(d.path, " -> "));
  std::string esc = d.escalation.rank > 0 ? st.warn(d.escalation.level) : d.escalation.level;
  if (!d.escalation.reasons.empty()) esc += " — " + join(d.escalation.reasons, "; ");
  row(st, "escalation", esc);

  const Compensation& comp = d.compensation;
  std::string total = comp.total.amount.is_zero() ? "none" : comp.total.to_string();
  if (comp.capped) total += " (capped)";
  if (comp.approval) {
    // `approved`: the escalation level already reaches the approval level (spec §4.6); a person
    // at that level still signs it off.
    if (comp.signed_off && comp.sign_off)
      total += ", signed off by " + comp.sign_off->by + " (" + comp.sign_off->level + ")";
    else
      total += ", needs " + *comp.approval + " sign-off" +
               (comp.approved && !comp.held ? " (the case is already at " + d.escalation.level + ")" : "");
  }
  row(st, "compensation", total);
  if (comp.held) row(st, "", st.bad("HELD for review") + ": " + comp.hold_reason.value_or(""));
  // Owed vs goodwill and payouts (issue #11), when there is anything to tell.
  if (!comp.owed.amount.is_zero() || !comp.paid.amount.is_zero() || !comp.signed_off)
    row(st, "", "owed " + comp.owed.to_string() + ", goodwill " + comp.goodwill.to_string() + ", paid " +
                    comp.paid.to_string() + ", payable now " + comp.payable.to_string());
  std::vector<const CompensationItem*> shown;
  for (const auto& item : comp.items)
    if (!item.amount.amount.is_zero()) shown.push_back(&item);  // a zero item tells nobody anything
  std::size_t id_w = 0, kind_w = 0, amount_w = 0;
  for (const auto* item : shown) {
    id_w = std::max(id_w, item->id.size());
    kind_w = std::max(kind_w, item->kind.size() + (item->basis == Basis::Owed ? 6 : 0));
    amount_w = std::max(amount_w, item->amount.to_string().size());
  }
  for (const auto* item : shown) {
    const std::string amount = item->amount.to_string();
    std::cout << "  " << pad(item->id, id_w + 2) << pad(item->kind + (item->basis == Basis::Owed ? ", owed" : ""), kind_w + 2)
              << std::string(amount_w - amount.size(), ' ') << amount;
    if (!item->paid.amount.is_zero())
      std::cout << ", paid " << item->paid.to_string() << ", remaining " << item->remaining.to_string();
    std::cout << "\n";
  }

  std::cout << st.label("actions") << (d.actions.empty() ? "       none" : "") << "\n";
  for (const auto& a : d.actions) {
    std::cout << "  " << a.action;
    if (a.due_at) std::cout << " by " << a.due_at->to_string() << (a.overdue ? " " + st.bad("OVERDUE") : "");
    if (a.to) std::cout << " -> " << *a.to;
    std::cout << "\n";
    if (a.options) std::cout << "    options: " << join(*a.options, ", ") << "\n";
    if (a.say) std::cout << "    say: " << *a.say << "\n";
  }
  if (d.to_close) {
    if (d.to_close->steps == 0) row(st, "to close", "closed");
    else
      row(st, "to close", std::to_string(d.to_close->steps) + (d.to_close->steps == 1 ? " step" : " steps") +
                              (d.to_close->events.empty() ? "" : " (" + join(d.to_close->events, ", ") + ")"));
  }
  print_inputs(st, c, info);
  for (const auto& w : d.warnings) std::cout << st.warn("warning") << ": " << w << "\n";
  if (!d.trace.empty()) {
    std::cout << st.label("trace") << "\n";
    std::size_t at_w = 0, what_w = 0;
    for (const auto& t : d.trace) {
      at_w = std::max(at_w, to_string(t.at).size());
      what_w = std::max(what_w, t.what.size() + (t.name.empty() ? 0 : t.name.size() + 1));
    }
    for (const auto& t : d.trace) {
      const std::string what = t.name.empty() ? t.what : t.what + " " + t.name;
      std::cout << "  " << st.dim(pad(to_string(t.at), at_w + 2)) << pad(what, what_w + 2) << t.expr << " = "
                << t.value.to_display() << "\n";
    }
  }
}

}  // namespace

int run_eval(const EvalOptions& options) {
  Pack pack = Pack::load(options.path);
  Case c;
  if (int rc = read_case(options.case_path, options.now, c); rc != kOk) return rc;
  JsonLinesOptions overrides;  // as `batch` applies them (spec §6)
  overrides.playbook = options.playbook;
  overrides.state = options.state;
  overrides.event = options.event;
  overrides.triage = triage_option(options.triage);
  apply_overrides(c, overrides);
  EvaluateOptions evaluate;
  evaluate.trace = options.trace;
  if (options.strict_facts) evaluate.strict_facts = true;  // else the pack's own default
  evaluate.clock = true;  // spec §6: a case without `now` is evaluated at the current time
  const bool terminal = isatty(STDOUT_FILENO) == 1;
  const char* no_color = std::getenv("NO_COLOR");
  if (c.compound()) {  // spec §4.1
    CompoundDecision d = pack.evaluate_compound(c, evaluate);
    if (options.json) std::cout << to_json(d, JsonOptions{options.pretty || terminal}) << "\n";
    else print_compound(d, terminal && !(no_color && *no_color));
    return kOk;
  }
  Decision d = pack.evaluate(c, evaluate);
  if (options.json) {
    std::cout << to_json(d, JsonOptions{options.pretty || terminal}) << "\n";
    return kOk;
  }
  Style style{terminal && !(no_color && *no_color)};
  const PlaybookInfo* info = nullptr;
  for (const auto& p : pack.playbooks())
    if (p.id == d.playbook) info = &p;
  print_human(d, c, info, style);
  return kOk;
}

}  // namespace redress::cli
