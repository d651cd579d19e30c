#include "load/case_yaml.hpp"

#include <algorithm>

#include "load/reader.hpp"
#include "load/source.hpp"
#include "redress/diagnostic.hpp"
#include "util/text.hpp"

namespace redress::load {

namespace {
bool plain(const YAML::Node& n) { return n.Tag() == "?"; }
}  // namespace

std::optional<Value> value_from_yaml(const YAML::Node& n, CaseProblem& error) {
  if (!n.IsDefined() || n.IsNull()) return Value::null();
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (plain(n)) {
      if (s == "true" || s == "True" || s == "TRUE") return Value::boolean(true);
      if (s == "false" || s == "False" || s == "FALSE") return Value::boolean(false);
      if (s == "null" || s == "Null" || s == "NULL" || s == "~" || s.empty()) return Value::null();
    }
    return Value::string(s);
  }
  if (n.IsSequence()) {
    std::vector<std::string> items;
    for (const auto& item : n) {
      if (!item.IsScalar()) {
        error = {item, "a list fact holds single values only"};
        return std::nullopt;
      }
      items.push_back(item.Scalar());
    }
    return Value::list(std::move(items));
  }
  error = {n, "a fact must be a single value or a list, not a mapping"};
  return std::nullopt;
}

namespace {

std::optional<CaseProblem> money_from_yaml(const YAML::Node& n, const std::string& what, Money& out) {
  auto m = n.IsScalar() ? Money::parse(n.Scalar()) : std::nullopt;
  if (!m) return CaseProblem{n, what + " must be money with its currency, like \"50.00 EUR\""};
  out = *m;
  return std::nullopt;
}

// sign_offs: [{level, by, at, amount?}, …]
std::optional<CaseProblem> sign_offs_from_yaml(const YAML::Node& v, Case& c) {
  if (!v.IsSequence()) return CaseProblem{v, "'sign_offs' must be a list of {level, by, at, amount}"};
  static const std::vector<std::string> keys = {"level", "by", "at", "amount"};
  for (const auto& item : v) {
    if (!item.IsMap()) return CaseProblem{item, "a sign-off is {level: manager, by: \"a.berg\", at: \"2026-11-23T09:00:00Z\", amount: \"25.00 EUR\"}"};
    SignOff s;
    bool has_at = false;
    for (auto it = item.begin(); it != item.end(); ++it) {
      const YAML::Node key = it->first, value = it->second;
      std::string k = key.IsScalar() ? key.Scalar() : "";
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
        return CaseProblem{key, "unknown key '" + k + "' in a sign-off" + util::did_you_mean(k, keys)};
      }
      if (k == "amount") {
        if (value.IsNull()) continue;
        Money m;
        if (auto p = money_from_yaml(value, "a sign-off's 'amount'", m)) return p;
        s.amount = m;
        continue;
      }
      if (!value.IsScalar()) return CaseProblem{value, "a sign-off's '" + k + "' must be a single value"};
      if (value.Scalar().empty()) return CaseProblem{value, "a sign-off's '" + k + "' must not be empty"};
      if (k == "level") s.level = value.Scalar();
      else if (k == "by") s.by = value.Scalar();
      else {
        auto t = Timestamp::parse(value.Scalar());
        if (!t) return CaseProblem{value, "a sign-off's 'at' must be an ISO 8601 date-time with a zone, not '" + value.Scalar() + "'"};
        s.at = *t;
        has_at = true;
      }
    }
    if (s.level.empty() || s.by.empty() || !has_at) return CaseProblem{item, "a sign-off needs 'level', 'by' and 'at'"};
    c.sign_offs.push_back(std::move(s));
  }
  return std::nullopt;
}

// paid: {item id: amount, …}
std::optional<CaseProblem> paid_from_yaml(const YAML::Node& v, Case& c) {
  if (!v.IsMap()) return CaseProblem{v, "'paid' must map compensation item ids to what was paid, like {refund_overcharge: \"50.00 EUR\"}"};
  for (auto it = v.begin(); it != v.end(); ++it) {
    const YAML::Node key = it->first, value = it->second;
    if (!key.IsScalar()) return CaseProblem{key, "a compensation item id must be a plain name"};
    Payment p;
    p.item = key.Scalar();
    if (auto problem = money_from_yaml(value, "paid '" + p.item + "'", p.amount)) return problem;
    c.paid.push_back(std::move(p));
  }
  return std::nullopt;
}

}  // namespace

std::optional<CaseProblem> case_from_yaml(const YAML::Node& root, Case& c) {
  if (!root.IsMap()) return CaseProblem{root, "a case must be a mapping with 'facts' (and optionally playbook, state, event, now, entered_at)"};
  static const std::vector<std::string> keys = {"playbook", "state", "entered_at", "event", "now", "facts",
                                                 "sign_offs", "paid", "pauses", "done", "timezone"};
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (!it->first.IsScalar()) return CaseProblem{it->first, "a case key must be a plain name"};
    const std::string& k = it->first.Scalar();
    const YAML::Node v = it->second;  // a copy: it-> yields a temporary proxy
    bool known = false;
    for (const auto& key : keys) known = known || key == k;
    if (!known) {
      return CaseProblem{it->first, "unknown key '" + k + "' in the case" + util::did_you_mean(k, keys)};
    }
    if (k == "facts") {
      if (v.IsNull()) continue;
      if (!v.IsMap()) return CaseProblem{v, "'facts' must be a mapping of fact names to values"};
      for (auto f = v.begin(); f != v.end(); ++f) {
        if (!f->first.IsScalar()) return CaseProblem{f->first, "a fact name must be a plain name"};
        CaseProblem error;
        auto value = value_from_yaml(f->second, error);
        if (!value) return error;
        c.facts.emplace_back(f->first.Scalar(), std::move(*value));
      }
      continue;
    }
    if (k == "pauses" || k == "done" || k == "timezone") {
      if (auto problem = case_time_from_yaml(k, v, c)) return problem;
      continue;
    }
    if (v.IsNull()) continue;
    if (k == "sign_offs") {
      if (auto p = sign_offs_from_yaml(v, c)) return p;
      continue;
    }
    if (k == "paid") {
      if (auto p = paid_from_yaml(v, c)) return p;
      continue;
    }
    if (!v.IsScalar()) return CaseProblem{v, "'" + k + "' must be a single value"};
    const std::string& s = v.Scalar();
    if (k == "playbook") c.playbook = s;
    else if (k == "state") c.state = s;
    else if (k == "event") c.event = s;
    else {
      auto t = Timestamp::parse(s);
      if (!t) return CaseProblem{v, "'" + k + "' must be an ISO 8601 date-time with a zone, e.g. 2026-11-23T10:00:00Z, not '" + s + "'"};
      (k == "now" ? c.now : c.entered_at) = *t;
    }
  }
  return std::nullopt;
}

}  // namespace redress::load

namespace redress {

Case parse_case(const std::string& text, const std::string& origin) {
  return parse_case(text, origin, LoadLimits{});
}

Case parse_case(const std::string& text, const std::string& origin, const LoadLimits& limits) {
  load::SourceFile src(origin, origin, text, load::Limits(limits));
  if (auto d = src.precheck()) throw EvaluationError(d->message, d->location);
  auto at = [&](const YAML::Mark& m) {
    return SourceLocation{src.id(), static_cast<std::uint32_t>(m.line + 1), static_cast<std::uint32_t>(m.column + 1), 0};
  };
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw EvaluationError("malformed case: " + e.msg, at(e.mark));
  }
  auto located = [&](const YAML::Node& n) {
    return n.Mark().is_null() ? SourceLocation{src.id()} : at(n.Mark());
  };
  if (auto problem = load::check_limits(root, src.limits()))
    throw EvaluationError(problem->message, located(problem->where));
  if (root.IsMap() && root["facts"] && root["facts"].IsMap() && root["facts"].size() > limits.max_case_facts)
    throw EvaluationError(load::Limits::refusal(std::to_string(root["facts"].size()) + " facts; the limit is " +
                                                    std::to_string(limits.max_case_facts),
                                                "max_case_facts"),
                          located(root["facts"]));
  Case c;
  if (auto problem = load::case_from_yaml(root, c)) {
    throw EvaluationError(problem->message, located(problem->where));
  }
  return c;
}

}  // namespace redress
