#include "load/case_yaml.hpp"

#include <algorithm>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

#include "load/reader.hpp"
#include "load/source.hpp"
#include "redress/diagnostic.hpp"
#include "util/text.hpp"

namespace redress::load {

namespace {

// Counts a YAML stream's documents, and those with content, without building them.
// yaml-cpp 0.7's LoadAll never returns on some inputs: a stream that starts with ',' gives empty
// documents forever without consuming it, allocating as it goes (found by fuzz_case). So the
// documents are counted first, with a bound, and built only when the stream ends.
class DocumentCounter : public YAML::EventHandler {
 public:
  std::size_t documents = 0, with_content = 0;
  YAML::Mark second;  // where the second document with content starts

  void OnDocumentStart(const YAML::Mark&) override {
    ++documents;
    depth_ = 0;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}  // a root null: an empty document
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { node(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override { node(m); }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(m);
    ++depth_;
  }
  void OnSequenceEnd() override { --depth_; }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(m);
    ++depth_;
  }
  void OnMapEnd() override { --depth_; }

 private:
  void node(const YAML::Mark& m) {
    if (depth_ == 0 && ++with_content == 2) second = m;
  }
  int depth_ = 0;
};

// More documents than any one case needs (empty ones included): the stream is refused.
constexpr std::size_t kMaxCaseDocuments = 1000;
bool plain(const YAML::Node& n) { return n.Tag() == "?"; }

// A plain scalar YAML reads as a number (its core schema's decimal forms: 3, -2.5, .5, 1e3).
// Hex, octal and 1_000 stay text.
bool yaml_number(const std::string& s) {
  std::size_t i = 0, n = s.size();
  if (i < n && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++int_digits;
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == n;
}
}  // namespace

std::optional<Value> value_from_yaml(const YAML::Node& n, CaseProblem& error) {
  if (!n.IsDefined() || n.IsNull()) return Value::null();
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (plain(n)) {
      if (s == "true" || s == "True" || s == "TRUE") return Value::boolean(true);
      if (s == "false" || s == "False" || s == "FALSE") return Value::boolean(false);
      if (s == "null" || s == "Null" || s == "NULL" || s == "~" || s.empty()) return Value::null();
      // A number is a number, as in JSON: exact, and refused by a `string` fact (spec §4).
      if (yaml_number(s)) {
        if (auto d = Decimal::parse(s)) return Value::number(*d);
        error = {n, "the number " + s + " cannot be held exactly (redress numbers have at most 12 fractional digits "
                    "and stay below 10^26); quote it if the playbook does not read it"};
        return std::nullopt;
      }
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

// A compound case (spec §4.1): playbooks: [id, …]; states: {playbook: state, …}.
std::optional<CaseProblem> compound_from_yaml(const std::string& k, const YAML::Node& v, Case& c) {
  if (k == "playbooks") {
    if (!v.IsSequence()) return CaseProblem{v, "'playbooks' must be a list of playbook ids, like [delivery_delay, wrong_invoice]"};
    for (const auto& id : v) {
      if (!id.IsScalar() || id.Scalar().empty()) return CaseProblem{id, "a playbook id must be a plain name"};
      c.playbooks.push_back(id.Scalar());
    }
    return std::nullopt;
  }
  if (!v.IsMap()) return CaseProblem{v, "'states' must map playbook ids to states, like {delivery_delay: offer, wrong_invoice: refund}"};
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it->first.IsScalar()) return CaseProblem{it->first, "a playbook id must be a plain name"};
    if (!it->second.IsScalar() || it->second.Scalar().empty())
      return CaseProblem{it->second, "the state of '" + it->first.Scalar() + "' must be a state name"};
    c.states.emplace_back(it->first.Scalar(), it->second.Scalar());
  }
  return std::nullopt;
}

}  // namespace

std::optional<CaseProblem> case_from_yaml(const YAML::Node& root, Case& c, std::initializer_list<const char*> only) {
  if (!root.IsMap()) {
    std::string msg = "a case must be a mapping with 'facts' (and optionally playbook, state, event, now, entered_at)";
    if (root.IsScalar()) msg += "; this is neither a JSON object nor a YAML mapping";
    return CaseProblem{root, msg};
  }
  static const std::vector<std::string> keys = {"playbook", "state", "entered_at", "event", "now", "facts",
                                                 "sign_offs", "paid", "pauses", "done", "timezone",
                                                 "playbooks", "triage", "states"};
  unsigned seen = 0;
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (!it->first.IsScalar()) return CaseProblem{it->first, "a case key must be a plain name"};
    const std::string& k = it->first.Scalar();
    if (only.size() && std::none_of(only.begin(), only.end(), [&](const char* s) { return k == s; })) continue;
    const YAML::Node v = it->second;  // a copy: it-> yields a temporary proxy
    std::size_t index = 0;
    while (index < keys.size() && keys[index] != k) ++index;
    if (index == keys.size()) {
      return CaseProblem{it->first, "unknown key '" + k + "' in the case" + util::did_you_mean(k, keys)};
    }
    if (seen & (1u << index)) return CaseProblem{it->first, "'" + k + "' is given twice in the case"};
    seen |= 1u << index;
    if (k == "facts") {
      if (v.IsNull()) continue;
      if (!v.IsMap()) return CaseProblem{v, "'facts' must be a mapping of fact names to values"};
      for (auto f = v.begin(); f != v.end(); ++f) {
        if (!f->first.IsScalar()) return CaseProblem{f->first, "a fact name must be a plain name"};
        CaseProblem error;
        auto value = value_from_yaml(f->second, error);
        if (!value) {
          error.message = "fact '" + f->first.Scalar() + "': " + error.message;
          return error;
        }
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
    if (k == "playbooks" || k == "states") {
      if (auto p = compound_from_yaml(k, v, c)) return p;
      continue;
    }
    if (!v.IsScalar()) return CaseProblem{v, "'" + k + "' must be a single value"};
    const std::string& s = v.Scalar();
    if (k == "triage") {
      if (s == "all") c.triage = Triage::All;
      else if (s == "first") c.triage = Triage::First;
      else return CaseProblem{v, "'triage' is 'first' (the default: the first playbook that matches) or 'all' (every one: a compound case), not '" + s + "'"};
    } else if (k == "playbook") c.playbook = s;
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

std::optional<cases::CaseTextError> case_from_yaml_text(std::string_view text, Case& c, const LoadLimits& limits) {
  auto at = [](const YAML::Mark& m, std::string message) {
    if (m.is_null()) return cases::CaseTextError{std::move(message)};
    return cases::CaseTextError{std::move(message), static_cast<std::uint32_t>(m.line + 1),
                                static_cast<std::uint32_t>(m.column + 1)};
  };
  SourceFile src("<case>", "<case>", std::string(text), Limits(limits));
  if (auto d = src.precheck()) return cases::CaseTextError{d->message, d->location.line, d->location.column};
  // Empty documents (a '---' with nothing after it) are nothing; more than one case is an error,
  // never a silent cut to the first.
  DocumentCounter count;
  std::vector<YAML::Node> docs;
  try {
    std::istringstream in(src.text());
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(count))
      if (count.documents > kMaxCaseDocuments)
        return cases::CaseTextError{"malformed case: more than " + std::to_string(kMaxCaseDocuments) +
                                    " YAML documents in one input, where one case is expected"};
    if (count.with_content == 0)
      return cases::CaseTextError{"the case is empty: a case is a mapping with 'facts' (and optionally playbook, state, event, now, entered_at)"};
    if (count.with_content > 1)
      return at(count.second, std::to_string(count.with_content) +
                                  " cases in one input, where one case is expected (the second starts here); give one "
                                  "YAML document per input");
    docs = YAML::LoadAll(src.text());  // ends: the same stream's documents were just counted
  } catch (const YAML::Exception& e) {
    return at(e.mark, "malformed case: " + e.msg);
  }
  docs.erase(std::remove_if(docs.begin(), docs.end(), [](const YAML::Node& d) { return d.IsNull(); }), docs.end());
  if (docs.size() != 1) return cases::CaseTextError{"the case is empty: a case is a mapping with 'facts' (and optionally playbook, state, event, now, entered_at)"};
  const YAML::Node& root = docs.front();
  if (auto problem = check_limits(root, src.limits())) return at(problem->where.Mark(), problem->message);
  if (root.IsMap() && root["facts"] && root["facts"].IsMap() && root["facts"].size() > limits.max_case_facts)
    return at(root["facts"].Mark(), Limits::refusal(std::to_string(root["facts"].size()) + " facts; the limit is " +
                                                        std::to_string(limits.max_case_facts),
                                                    "max_case_facts"));
  if (auto problem = case_from_yaml(root, c)) return at(problem->where.Mark(), problem->message);
  return std::nullopt;
}

}  // namespace redress::load
