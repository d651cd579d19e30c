// `redress replay --report FILE.html`: one self-contained page (inline CSS and SVG; no script,
// no font, no image, no link to fetch), readable offline and safe to mail around.
#include <algorithm>
#include <cstdio>
#include <string>

#include "eval/value_equal.hpp"
#include "redress/replay.hpp"
#include "replay/summary_text.hpp"
#include "util/text.hpp"

namespace redress {

using namespace replay;
using util::thousands;

namespace {

std::string esc(std::string_view s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

// Pixel lengths only: money stays exact in every label; a bar's length is a picture of it.
double to_pixels(Decimal d) { return static_cast<double>(d.raw()) / static_cast<double>(Decimal::kOne); }

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

struct Bar {
  std::string label, old_text, new_text;
  double old_value, new_value;
};

// Pairs of horizontal bars (old grey, new blue), one pair per row, with exact labels.
std::string bar_chart(const std::string& title, const std::vector<Bar>& bars) {
  const double label_w = 190, bar_w = 360, row_h = 44, text_w = 230;
  double max_v = 0;
  for (const Bar& b : bars) max_v = std::max({max_v, b.old_value, b.new_value});
  if (max_v <= 0) max_v = 1;
  const double height = 30 + row_h * static_cast<double>(bars.size());
  std::string svg = "<figure><figcaption>" + esc(title) + "</figcaption><svg width=\"" +
                    num(label_w + bar_w + text_w) + "\" height=\"" + num(height) + "\" role=\"img\" aria-label=\"" +
                    esc(title) + "\">";
  svg += "<rect x=\"" + num(label_w) + "\" y=\"4\" width=\"12\" height=\"10\" class=\"old\"/><text x=\"" +
         num(label_w + 16) + "\" y=\"13\">old</text><rect x=\"" + num(label_w + 60) +
         "\" y=\"4\" width=\"12\" height=\"10\" class=\"new\"/><text x=\"" + num(label_w + 76) + "\" y=\"13\">new</text>";
  double y = 26;
  for (const Bar& b : bars) {
    double wo = bar_w * b.old_value / max_v, wn = bar_w * b.new_value / max_v;
    svg += "<text x=\"0\" y=\"" + num(y + 17) + "\">" + esc(b.label) + "</text>";
    svg += "<rect class=\"old\" x=\"" + num(label_w) + "\" y=\"" + num(y) + "\" width=\"" + num(std::max(wo, 0.0)) +
           "\" height=\"16\"/>";
    svg += "<text x=\"" + num(label_w + std::max(wo, 0.0) + 4) + "\" y=\"" + num(y + 12) + "\">" + esc(b.old_text) + "</text>";
    svg += "<rect class=\"new\" x=\"" + num(label_w) + "\" y=\"" + num(y + 18) + "\" width=\"" + num(std::max(wn, 0.0)) +
           "\" height=\"16\"/>";
    svg += "<text x=\"" + num(label_w + std::max(wn, 0.0) + 4) + "\" y=\"" + num(y + 30) + "\">" + esc(b.new_text) + "</text>";
    y += row_h;
  }
  return svg + "</svg></figure>\n";
}

std::string value_text(const Value& v) { return v.to_display(); }

std::string decision_column(const Decision& d, const Decision& other) {
  std::string h = "<dl><dt>state</dt><dd>" + esc(d.state) + "</dd><dt>level</dt><dd>" + esc(d.escalation.level) +
                  "</dd><dt>compensation</dt><dd>" + esc(d.compensation.total.to_string()) + "</dd><dt>approval</dt><dd>" +
                  esc(d.compensation.approval.value_or("none")) + "</dd><dt>actions</dt><dd>";
  std::vector<std::string> actions;
  for (const ActionOut& a : d.actions) actions.push_back(a.action);
  h += esc(util::join(actions)) + "</dd></dl><table class=\"trace\"><tr><th>at</th><th>what</th><th>expression</th><th>value</th></tr>";
  for (const TraceStep& s : d.trace) {
    // A step the other Decision has with the same value is plain; one it lacks or values differently is marked.
    bool same = std::any_of(other.trace.begin(), other.trace.end(), [&](const TraceStep& o) {
      return o.what == s.what && o.expr == s.expr && detail::same_value(o.value, s.value);
    });
    h += std::string("<tr") + (same ? "" : " class=\"differs\"") + "><td>" + esc(to_string(s.at)) + "</td><td>" +
         esc(s.what) + "</td><td><code>" + esc(s.expr) + "</code></td><td>" + esc(value_text(s.value)) + "</td></tr>";
  }
  return h + "</table>";
}

constexpr const char* kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right}.delta-up{color:#a40}.delta-down{color:#060}
svg text{font:12px system-ui,sans-serif;fill:#222}rect.old{fill:#aaa}rect.new{fill:#3573c9}
figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}
.side{display:grid;grid-template-columns:1fr 1fr;gap:1em}.side>div{overflow-x:auto}
table.trace{font-size:12px}tr.differs{background:#fff3c4}dl{display:grid;grid-template-columns:max-content auto;gap:0 1em}
dt{font-weight:600}dd{margin:0}code{font-size:12px}
)";

}  // namespace

std::string to_html(const ReplaySummary& s, std::string_view title) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title) +
                  "</title><style>" + kStyle + "</style></head><body>\n<h1>" + esc(title) + "</h1>\n";
  h += "<table id=\"summary\"><tr><th>cases</th><th>evaluated</th><th>errors</th><th>changed</th></tr><tr><td class=\"n\">" +
       thousands(s.cases) + "</td><td class=\"n\">" + thousands(s.evaluated) + "</td><td class=\"n\">" +
       thousands(s.errors) + "</td><td class=\"n\">" + thousands(s.changed) + " (" + percent(s.changed, s.evaluated) +
       ")</td></tr></table>\n";
  h += "<table id=\"changes\"><tr><th>what changed</th><th class=\"n\">cases</th></tr>";
  for (auto [name, n] : {std::pair{"playbook", s.playbook_changed}, {"state", s.state_changed}, {"actions", s.actions_changed},
                         {"escalation level", s.level_changed}, {"compensation", s.compensation_changed},
                         {"approval", s.approval_changed}})
    h += std::string("<tr><td>") + name + "</td><td class=\"n\">" + thousands(n) + "</td></tr>";
  h += "</table>\n";

  h += "<h2>Compensation</h2>\n<table id=\"compensation\"><tr><th>playbook</th><th>currency</th><th class=\"n\">old</th>"
       "<th class=\"n\">new</th><th class=\"n\">delta</th><th class=\"n\">changed cases</th></tr>";
  auto money_row = [&](const std::string& who, const std::string& code, const MoneyTotals& t, std::uint64_t changed,
                       std::uint64_t cases) {
    std::string d = delta_text(t, code);
    const char* cls = d[0] == '+' ? "delta-up" : d[0] == '-' ? "delta-down" : "";
    h += "<tr><td>" + esc(who) + "</td><td>" + esc(code) + "</td><td class=\"n\">" + esc(money_text(t.before, code)) +
         "</td><td class=\"n\">" + esc(money_text(t.after, code)) + "</td><td class=\"n " + cls + "\">" + esc(d) +
         "</td><td class=\"n\">" + thousands(changed) + " of " + thousands(cases) + "</td></tr>";
  };
  for (const auto& [code, t] : s.currencies) money_row("all playbooks", code, t, s.changed, s.evaluated);
  for (const auto& [id, p] : s.playbooks)
    for (const auto& [code, t] : p.compensation) money_row(id, code, t, p.changed, p.cases);
  h += "</table>\n";
  for (const auto& [code, total] : s.currencies) {
    std::vector<Bar> bars;
    for (const auto& [id, p] : s.playbooks) {
      auto it = p.compensation.find(code);
      if (it == p.compensation.end()) continue;
      bars.push_back({id, money_text(it->second.before, code), money_text(it->second.after, code),
                      to_pixels(it->second.before), to_pixels(it->second.after)});
    }
    h += bar_chart("Compensation per playbook, old vs new (" + code + ")", bars);
  }

  h += "<h2>Levels</h2>\n";
  for (const auto& [name, levels] : {std::pair{"Escalation levels", &s.escalation_levels}, {"Approval levels", &s.approval_levels}}) {
    std::vector<Bar> bars;
    for (const auto& [level, n] : *levels)
      bars.push_back({level, thousands(n.before), thousands(n.after), static_cast<double>(n.before),
                      static_cast<double>(n.after)});
    h += bar_chart(std::string(name) + ", cases old vs new", bars);
  }

  h += "<h2>Rules that fired differently</h2>\n";
  std::vector<const RuleImpact*> rules = rules_by_impact(s);
  if (rules.empty()) h += "<p>None.</p>\n";
  else h += "<table id=\"rules\"><tr><th class=\"n\">cases</th><th>playbook</th><th>rule</th><th>expression</th><th>at</th></tr>";
  for (std::size_t i = 0; i < rules.size() && i < 20; ++i)
    h += "<tr><td class=\"n\">" + thousands(rules[i]->cases) + "</td><td>" + esc(rules[i]->rule.playbook) + "</td><td>" +
         esc(rules[i]->rule.what) + "</td><td><code>" + esc(rule_text(rules[i]->rule)) + "</code></td><td>" +
         esc(rules[i]->rule.at) + "</td></tr>";
  if (!rules.empty()) h += "</table>\n";

  h += "<h2>The most changed cases</h2>\n";
  if (s.top_cases.empty()) h += "<p>No case changed.</p>\n";
  for (const ChangedCase& c : s.top_cases) {
    h += "<section class=\"case\"><h3>line " + std::to_string(c.line) + " · " + esc(c.playbook) + "</h3><div class=\"side\"><div><h4>old</h4>" +
         decision_column(c.before, c.after) + "</div><div><h4>new</h4>" + decision_column(c.after, c.before) +
         "</div></div></section>\n";
  }
  if (!s.first_errors.empty()) {
    h += "<h2>Errors (the first " + std::to_string(s.first_errors.size()) + " of " + thousands(s.errors) + ")</h2>\n<ul>";
    for (const ReplayError& e : s.first_errors) h += "<li>line " + std::to_string(e.line) + ": " + esc(e.message) + "</li>";
    h += "</ul>\n";
  }
  if (s.money_overflow) h += "<p><strong>A compensation sum left the exact range (10^26): its totals are wrong.</strong></p>\n";
  return h + "</body></html>\n";
}

}  // namespace redress
