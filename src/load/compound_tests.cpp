// pack.test.yaml: compound tests (spec §1 "Compound tests", §4.1). Every name a test gives —
// playbook, state, event, fact, action or step id, PLAYBOOK.ITEM, level — is checked here,
// against the playbooks the test may involve, with a located error and a "did you mean": a
// misspelt expectation must fail the load, not pass by checking nothing.
#include <algorithm>
#include <set>
#include <unordered_map>

#include "load/case_yaml.hpp"
#include "load/playbook_reader.hpp"
#include "util/text.hpp"

namespace redress::load {

namespace {

using detail::CompiledPack;
using detail::CompoundTest;
using detail::Playbook;

// The elements of a list, or a single value standing for a list of one (as `actions: x`).
std::vector<YAML::Node> elements(const YAML::Node& n) {
  std::vector<YAML::Node> out;
  if (n.IsSequence())
    for (const auto& e : n) out.push_back(e);
  else if (n.IsScalar())
    out.push_back(n);
  return out;
}

// Names without repeats, in the order first seen: the candidates of a "did you mean".
class UniqueNames {
 public:
  void add(const std::string& name) {
    if (seen_.insert(name).second) list_.push_back(name);
  }
  const std::vector<std::string>& list() const { return list_; }

 private:
  std::set<std::string> seen_;
  std::vector<std::string> list_;
};

// Checks the names of one compound test against the playbooks it may involve (its parts).
class Names {
 public:
  Names(Reader& r, const CompiledPack& pack, std::vector<const Playbook*> parts)
      : r_(r), pack_(pack), parts_(std::move(parts)) {
    for (const Playbook* pb : parts_) {
      ids_.push_back(pb->id);
      for (const auto& rung : pb->ladder) rungs_.add(rung);
      for (const auto& st : pb->states)
        for (const auto& a : st.actions) {
          steps_.add(pack.compound.steps[a.step]);
          step_of_.emplace(a.id, pack.compound.steps[a.step]);
        }
    }
  }

  const std::vector<std::string>& ids() const { return ids_; }

  // A playbook of the test, or an error at `n`.
  const Playbook* playbook(const YAML::Node& n, const std::string& id) {
    for (const Playbook* pb : parts_)
      if (pb->id == id) return pb;
    if (pack_.playbook_index.count(id))
      r_.error(n, "playbook '" + id + "' is not one of this test's playbooks (" + util::join(ids_) + ")");
    else
      r_.error(n, "no playbook '" + id + "' in the pack" +
                      util::did_you_mean_or_list(id, all_ids(), "the pack has:"));
    return nullptr;
  }

  void state(const YAML::Node& n, const Playbook& pb, const std::string& name) {
    if (pb.state_index.count(name)) return;
    std::vector<std::string> names;
    for (const auto& st : pb.states) names.push_back(st.name);
    r_.error(n, "playbook '" + pb.id + "' has no state '" + name + "'" +
                    util::did_you_mean_or_list(name, names, "its states:"));
  }

  // A rung of the parts' ladder (the compound level, its approval).
  void level(const YAML::Node& n, const std::vector<std::string>& ladder, const std::string& name) {
    if (std::find(ladder.begin(), ladder.end(), name) == ladder.end())
      r_.error(n, "unknown level '" + name + "'" + util::did_you_mean_or_list(name, ladder, "the ladder is"));
  }
  void level(const YAML::Node& n, const std::string& name) { level(n, rungs_.list(), name); }

  // A step of the compound Decision: the id the merged action goes by (the first id of its
  // `same_step` group).
  void step(const YAML::Node& n, const std::string& id) {
    auto it = step_of_.find(id);
    if (it == step_of_.end()) {
      r_.error(n, "no playbook of this test (" + util::join(ids_) + ") has an action '" + id + "'" +
                      util::did_you_mean_or_list(id, steps_.list(), "the steps are:"));
    } else if (it->second != id) {
      r_.error(n, "'" + id + "' is one step with '" + it->second +
                      "' (pack.yaml compound 'same_step'), and the step goes by '" + it->second +
                      "': write '" + it->second + "'");
    }
  }

  // An action id of one playbook (a part's expectations, `done`).
  void action(const YAML::Node& n, const std::vector<const Playbook*>& in, const std::string& id) {
    UniqueNames ids;
    for (const Playbook* pb : in)
      for (const auto& st : pb->states)
        for (const auto& a : st.actions) {
          if (a.id == id) return;
          ids.add(a.id);
        }
    r_.error(n,
             std::string(in.size() == 1 ? "playbook '" + in.front()->id + "'" : "no playbook of this test") +
                 (in.size() == 1 ? " has no action '" : " has an action '") + id + "'" +
                 util::did_you_mean_or_list(id, ids.list(), "its actions:"));
  }

  // "PLAYBOOK.ITEM": a compensation item of a playbook of the test.
  void item(const YAML::Node& n, const std::string& name) {
    const auto dot = name.find('.');
    if (dot == std::string::npos) {
      std::vector<std::string> owners;
      for (const Playbook* pb : parts_)
        for (const auto& rule : pb->compensation)
          if (rule.id == name) owners.push_back(pb->id + "." + name);
      r_.error(n, "'" + name + "' must name an item as PLAYBOOK.ITEM" +
                      (owners.empty() ? std::string(", like delivery_delay.delay_credit")
                                      : ", like " + owners.front()));
      return;
    }
    const Playbook* pb = playbook(n, name.substr(0, dot));
    if (pb) rule_id(n, *pb, name.substr(dot + 1));
  }

  // A compensation rule id of `pb`.
  void rule_id(const YAML::Node& n, const Playbook& pb, const std::string& id) {
    std::vector<std::string> ids;
    for (const auto& rule : pb.compensation) {
      if (rule.id == id) return;
      ids.push_back(rule.id);
    }
    r_.error(n, "playbook '" + pb.id + "' has no compensation item '" + id + "'" +
                    (ids.empty() ? std::string(" (it has no compensation rules)")
                                 : util::did_you_mean_or_list(id, ids, "its items:")));
  }

  // The case part: states, event, facts, done and paid name what the parts have.
  void check_case(const YAML::Node& t) {
    if (present(t["states"]) && t["states"].IsMap())
      for (auto it = t["states"].begin(); it != t["states"].end(); ++it)
        if (const Playbook* pb = playbook(it->first, it->first.Scalar()))
          state(it->second, *pb, it->second.Scalar());
    if (present(t["event"]) && t["event"].IsScalar()) {
      const std::string& event = t["event"].Scalar();
      if (std::none_of(parts_.begin(), parts_.end(),
                       [&](const Playbook* pb) { return pb->event_index.count(event); })) {
        UniqueNames events;
        for (const Playbook* pb : parts_)
          for (const auto& e : pb->events) events.add(e);
        r_.error(t["event"], "no playbook of this test (" + util::join(ids_) + ") has an event '" + event +
                                 "'" + util::did_you_mean_or_list(event, events.list(), "their events:"));
      }
    }
    if (present(t["facts"]) && t["facts"].IsMap())
      for (auto it = t["facts"].begin(); it != t["facts"].end(); ++it) {
        const std::string& name = it->first.Scalar();
        if (const auto dot = name.find('.'); dot != std::string::npos) {  // PLAYBOOK.FACT: that part's own
          const std::string id = name.substr(0, dot), fact = name.substr(dot + 1);
          auto part = std::find_if(parts_.begin(), parts_.end(), [&](const Playbook* pb) { return pb->id == id; });
          if (part == parts_.end())
            r_.error(it->first, "fact '" + name + "' is for playbook '" + id + "', which is not a playbook of this test (" +
                                    util::join(ids_) + ")" + util::did_you_mean(id, ids_));
          else if (!(*part)->fact_index.count(fact)) {
            UniqueNames declared;
            for (const auto& f : (*part)->facts) declared.add(f.name);
            r_.error(it->first, "fact '" + name + "': playbook '" + id + "' declares no fact '" + fact + "'" +
                                    util::did_you_mean(fact, declared.list()));
          }
          continue;
        }
        if (std::any_of(parts_.begin(), parts_.end(),
                        [&](const Playbook* pb) { return pb->fact_index.count(name); }))
          continue;
        UniqueNames declared;
        for (const Playbook* pb : parts_)
          for (const auto& f : pb->facts) declared.add(f.name);
        r_.error(it->first, "no playbook of this test (" + util::join(ids_) + ") declares a fact '" + name +
                                "'" + util::did_you_mean(name, declared.list()));
      }
    if (present(t["done"]) && t["done"].IsMap())
      for (auto it = t["done"].begin(); it != t["done"].end(); ++it)
        action(it->first, parts_, it->first.Scalar());
    if (present(t["sign_offs"]) && t["sign_offs"].IsSequence())
      for (const auto& s : t["sign_offs"])
        if (s.IsMap() && s["level"] && s["level"].IsScalar()) level(s["level"], s["level"].Scalar());
    if (present(t["paid"]) && t["paid"].IsMap())
      for (auto it = t["paid"].begin(); it != t["paid"].end(); ++it) paid_item(it->first, it->first.Scalar());
  }

  // The keys the compound Decision shares with a single one (`common`), and every part's.
  void check_shared(const YAML::Node& e, const PlaybookTest::Expect& x, const Playbook* part) {
    const std::vector<std::string>& ladder = part ? part->ladder : rungs_.list();
    std::vector<const Playbook*> in = part ? std::vector<const Playbook*>{part} : parts_;
    if (x.level) level(e["level"], ladder, *x.level);
    if (x.approval) level(e["approval"], ladder, *x.approval);
    auto act = [&](const YAML::Node& n) {
      if (!n.IsScalar()) return;
      if (part)
        action(n, in, n.Scalar());
      else
        step(n, n.Scalar());
    };
    if (x.actions)
      for (const auto& n : elements(e["actions"])) act(n);
    for (const char* key : {"say", "say_contains", "say_lacks", "do"})
      if (present(e[key]) && e[key].IsMap())
        for (auto it = e[key].begin(); it != e[key].end(); ++it) act(it->first);
    if (!part) return;
    if (x.state) state(e["state"], *part, *x.state);
    if (x.items)
      for (const auto& n : elements(e["items"]))
        if (n.IsScalar()) rule_id(n, *part, n.Scalar());
  }

 private:
  std::vector<std::string> all_ids() const {
    std::vector<std::string> ids;
    for (const auto& pb : pack_.playbooks) ids.push_back(pb.id);
    return ids;
  }

  // `paid: {ITEM: …}` or `{PLAYBOOK.ITEM: …}` (spec §4.1 step 2).
  void paid_item(const YAML::Node& n, const std::string& name) {
    std::vector<std::string> owners, ids;
    for (const Playbook* pb : parts_)
      for (const auto& rule : pb->compensation) {
        ids.push_back(rule.id);
        if (rule.id == name || pb->id + "." + rule.id == name) owners.push_back(pb->id + "." + rule.id);
      }
    if (owners.empty())
      r_.error(n, "paid: no playbook of this test has a compensation item '" + name + "'" +
                      util::did_you_mean_or_list(name, ids, "their items:"));
    else if (owners.size() > 1)
      r_.error(n, "paid: '" + name + "' is an item of " + std::to_string(owners.size()) +
                      " playbooks of this test; name it as PLAYBOOK.ITEM (e.g. '" + owners.front() + "')");
  }

  Reader& r_;
  const CompiledPack& pack_;
  std::vector<const Playbook*> parts_;
  std::vector<std::string> ids_;
  UniqueNames rungs_, steps_;
  std::unordered_map<std::string, std::string> step_of_;  // action id -> its step
};

// The playbooks a test names (`playbooks:`) or, with `triage: all`, every one of the pack.
// Empty (with an error) when it names none, or one that is not there.
std::vector<const Playbook*> parts_of(Reader& r, const YAML::Node& t, const CompoundTest& test,
                                      const CompiledPack& pack) {
  std::vector<const Playbook*> parts;
  const bool all = test.input.triage == Triage::All;
  if (!test.input.playbooks.empty() && all) {
    r.error(t["triage"], "compound test '" + test.name +
                             "' names its 'playbooks' and says 'triage: all': keep one of them");
    return parts;
  }
  if (test.input.playbooks.empty() && !all) {
    r.error(t["triage"] ? t["triage"] : (t["playbooks"] ? t["playbooks"] : t),
            "compound test '" + test.name +
                "' names its playbooks (playbooks: [delivery_delay, wrong_invoice]) or says "
                "'triage: all'; a test of one playbook goes in NAME.test.yaml beside it");
    return parts;
  }
  if (all) {
    for (const auto& pb : pack.playbooks) parts.push_back(&pb);
    return parts;
  }
  std::vector<std::string> ids;
  for (const auto& pb : pack.playbooks) ids.push_back(pb.id);
  bool ok = true;
  for (std::size_t i = 0; i < test.input.playbooks.size(); ++i) {
    const std::string& id = test.input.playbooks[i];
    const YAML::Node at = t["playbooks"][i];
    auto it = pack.playbook_index.find(id);
    if (it == pack.playbook_index.end()) {
      r.error(at,
              "no playbook '" + id + "' in the pack" + util::did_you_mean_or_list(id, ids, "the pack has:"));
      ok = false;
      continue;
    }
    const Playbook* pb = &pack.playbooks[it->second];
    if (std::find(parts.begin(), parts.end(), pb) != parts.end()) {
      r.error(at, "playbook '" + id + "' is named twice in 'playbooks'");
      ok = false;
    }
    parts.push_back(pb);
  }
  if (!ok) parts.clear();
  return parts;
}

// reasons: ["text", {playbook: "text"}, …]: a text alone is compared with the reason's text,
// a tagged one with its playbook too.
std::optional<std::vector<CompoundTest::Reason>> read_reasons(Reader& r, const YAML::Node& n, Names& names) {
  std::vector<CompoundTest::Reason> out;
  if (n.IsNull()) return out;
  if (!n.IsSequence() && !n.IsScalar()) {
    r.error(n,
            "'reasons' is a list of texts, each alone or tagged with its playbook: [\"a text\", "
            "{wrong_invoice: \"a text\"}]");
    return std::nullopt;
  }
  for (const auto& e : elements(n)) {
    if (e.IsScalar()) {
      out.push_back({std::nullopt, e.Scalar()});
    } else if (e.IsMap() && e.size() == 1) {
      const YAML::Node key = e.begin()->first, text = e.begin()->second;
      auto t = r.scalar(text, "a reason's text");
      if (!key.IsScalar() || !t) continue;
      names.playbook(key, key.Scalar());
      out.push_back({key.Scalar(), *t});
    } else {
      r.error(e,
              "a reason is a text, or one playbook and its text: {wrong_invoice: \"overcharge of 100 EUR or "
              "more\"}");
    }
  }
  return out;
}

void read_compound_expect(Reader& r, const YAML::Node& e, CompoundTest& test, Names& names) {
  r.check_keys(e, {"states",       "level",     "reasons",    "actions",        "compensation",
                   "owed",         "goodwill",  "paid",       "remaining",      "payable",
                   "capped",       "approval",  "approved",   "held",           "signed_off",
                   "items",        "amounts",   "covered_by", "parts",          "say",
                   "say_contains", "say_lacks", "do",         "next_change_at", "error"},
               "a compound test's 'expect'");
  auto& x = test.expect;
  read_expect(r, e, x.common, ExpectKeys::Compound);
  names.check_shared(e, x.common, nullptr);
  if (e["states"] && r.expect_map(e["states"], "'states' (playbook: state)")) {
    x.states.emplace();
    for (auto it = e["states"].begin(); it != e["states"].end(); ++it) {
      auto state = r.scalar(it->second, "a playbook's state");
      if (!it->first.IsScalar() || !state) continue;
      if (const Playbook* pb = names.playbook(it->first, it->first.Scalar()))
        names.state(it->second, *pb, *state);
      x.states->emplace_back(it->first.Scalar(), *state);
    }
  }
  if (e["reasons"]) x.reasons = read_reasons(r, e["reasons"], names);
  if (e["items"]) {
    if (e["items"].IsNull())
      x.items.emplace();
    else if (e["items"].IsScalar() || r.string_list(e["items"], "'items' (PLAYBOOK.ITEM, in order)")) {
      x.items.emplace();
      for (const auto& n : elements(e["items"])) {
        names.item(n, n.Scalar());
        x.items->push_back(n.Scalar());
      }
    }
  }
  if (e["amounts"] && r.expect_map(e["amounts"], "'amounts' (PLAYBOOK.ITEM: amount)"))
    for (auto it = e["amounts"].begin(); it != e["amounts"].end(); ++it) {
      auto amount = r.scalar(it->second, "an item's amount");
      if (!it->first.IsScalar() || !amount) continue;
      names.item(it->first, it->first.Scalar());
      if (!Money::parse(*amount))
        r.error(it->second,
                "an amount is money with its currency, like \"25.00 EUR\", not '" + *amount + "'");
      x.amounts.emplace_back(it->first.Scalar(), *amount);
    }
  if (e["covered_by"] && r.expect_map(e["covered_by"], "'covered_by' (PLAYBOOK.ITEM: PLAYBOOK.ITEM or null)"))
    for (auto it = e["covered_by"].begin(); it != e["covered_by"].end(); ++it) {
      if (!it->first.IsScalar()) continue;
      names.item(it->first, it->first.Scalar());
      std::optional<std::string> by;
      if (!it->second.IsNull()) {
        by = r.scalar(it->second, "the item that covers it");
        if (!by) continue;
        names.item(it->second, *by);
      }
      x.covered_by.emplace_back(it->first.Scalar(), by);
    }
  if (e["parts"] && r.expect_map(e["parts"], "'parts' (PLAYBOOK: what its own Decision must be)"))
    for (auto it = e["parts"].begin(); it != e["parts"].end(); ++it) {
      const YAML::Node key = it->first, spec = it->second;
      if (!key.IsScalar()) continue;
      const Playbook* pb = names.playbook(key, key.Scalar());
      if (!r.expect_map(spec, "a part's expectations")) continue;
      r.check_keys(
          spec, {"state",        "level",     "actions",   "compensation",  "approval",   "approved",
                 "held",         "capped",    "reasons",   "items",         "path",       "owed",
                 "goodwill",     "paid",      "remaining", "payable",       "signed_off", "say",
                 "say_contains", "say_lacks", "do",        "next_change_at"},
          "a part's expectations (what its own Decision must be; 'error' belongs to the whole test)");
      PlaybookTest::Expect part;
      read_expect(r, spec, part, ExpectKeys::Part);
      if (pb) names.check_shared(spec, part, pb);
      x.parts.emplace_back(key.Scalar(), std::move(part));
    }
}

void read_compound_test(Reader& r, const YAML::Node& t, CompiledPack& pack) {
  if (!r.expect_map(t, "a compound test")) return;
  r.check_keys(t,
               {"name", "playbooks", "triage", "states", "now", "entered_at", "event", "facts", "sign_offs",
                "paid", "pauses", "done", "timezone", "expect"},
               "a compound test");
  CompoundTest test;
  test.file = r.source().path();
  test.line = r.pos(t).line;
  if (t["name"])
    if (auto s = r.scalar(t["name"], "'name'")) test.name = *s;
  if (test.name.empty()) test.name = "test at line " + std::to_string(test.line);
  // The case part reads like a compound case file (check_keys above reports any other key).
  if (auto problem = case_from_yaml(t, test.input,
                                    {"playbooks", "triage", "states", "now", "entered_at", "event", "facts",
                                     "sign_offs", "paid", "pauses", "done", "timezone"})) {
    YAML::Node where = problem->where.Mark().is_null() ? YAML::Node(t) : problem->where;
    r.error(where, "test '" + test.name + "': " + problem->message);
    return;
  }
  std::vector<const Playbook*> parts = parts_of(r, t, test, pack);
  if (parts.empty()) return;
  for (const Playbook* pb : parts) test.playbooks.push_back(pb->id);
  Names names(r, pack, parts);
  names.check_case(t);
  if (!t["expect"]) {
    r.error(t, "test '" + test.name + "' has no 'expect': say what the compound decision must be");
    return;
  }
  if (!r.expect_map(t["expect"], "'expect'")) return;
  read_compound_expect(r, t["expect"], test, names);
  pack.compound_tests.push_back(std::move(test));
}

}  // namespace

void read_compound_tests(Document& doc, CompiledPack& pack, std::vector<Diagnostic>& diags) {
  Reader r(*doc.src, diags);
  r.check_keys(doc.root, {"tests"}, "pack.test.yaml (compound tests)");
  if (!doc.root["tests"]) {
    r.error(doc.root,
            "pack.test.yaml holds 'tests:', a list of compound tests (each names its 'playbooks' or says "
            "'triage: all')");
    return;
  }
  if (!present(doc.root["tests"]) || !r.expect_seq(doc.root["tests"], "'tests'")) return;
  for (const auto& t : doc.root["tests"]) read_compound_test(r, t, pack);
}

}  // namespace redress::load
