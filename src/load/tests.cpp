// Playbook tests (spec §1): the `tests:` section of a playbook and NAME.test.yaml files.
#include "load/playbook_reader.hpp"

#include <filesystem>

#include "load/case_yaml.hpp"

namespace redress::load {

using detail::Playbook;

namespace {

std::optional<std::vector<std::string>> optional_list(Reader& r, const YAML::Node& n, const char* what) {
  if (n.IsScalar()) return std::vector<std::string>{n.Scalar()};
  return r.string_list(n, what);
}

// say: {action: "text"}; say_contains / say_lacks: {action: "text" or ["text", …]}.
void read_says(Reader& r, const YAML::Node& n, std::vector<std::pair<std::string, std::string>>& out, bool lists) {
  if (!n) return;
  if (!r.expect_map(n, "an expected 'say' (action: text)")) return;
  for (auto it = n.begin(); it != n.end(); ++it) {
    const YAML::Node key = it->first, value = it->second;
    auto action = r.scalar(key, "an action id");
    if (!action) continue;
    if (lists) {
      if (auto texts = optional_list(r, value, "the expected texts"))
        for (auto& text : *texts) out.emplace_back(*action, std::move(text));
    } else if (auto text = r.scalar(value, "the expected 'say'")) {
      out.emplace_back(*action, *text);
    }
  }
}

std::optional<Timestamp> instant(Reader& r, const YAML::Node& n, const char* what) {
  auto text = r.scalar(n, what);
  if (!text) return std::nullopt;
  auto t = Timestamp::parse(*text);
  if (!t) r.error(n, std::string(what) + " must be an ISO 8601 date-time with a zone, e.g. 2026-11-30T09:30:00Z, not '" + *text + "'");
  return t;
}

// expect.do: {action id: {due_at, overdue, done, to}} (issue #10).
void read_action_details(Reader& r, const YAML::Node& n, PlaybookTest::Expect& x) {
  if (!r.expect_map(n, "'do'")) return;
  for (auto it = n.begin(); it != n.end(); ++it) {
    const YAML::Node key = it->first, spec = it->second;
    if (!key.IsScalar()) { r.error(key, "a key of 'do' is an action id"); continue; }
    if (!r.expect_map(spec, "an action's expectations")) continue;
    r.check_keys(spec, {"due_at", "overdue", "done", "to"}, "an action's expectations (its 'say': expect.say)");
    PlaybookTest::Expect::ActionDetail d;
    d.action = key.Scalar();
    if (spec["due_at"]) {
      d.due_at_given = true;
      if (!spec["due_at"].IsNull()) d.due_at = instant(r, spec["due_at"], "'due_at'");
    }
    if (spec["overdue"]) d.overdue = r.boolean(spec["overdue"], "'overdue'");
    if (spec["done"]) d.done = r.boolean(spec["done"], "'done'");
    if (spec["to"]) d.to = r.scalar(spec["to"], "'to'");
    x.actions_detail.push_back(std::move(d));
  }
}

}  // namespace

void read_expect(Reader& r, const YAML::Node& e, PlaybookTest::Expect& x, ExpectKeys keys) {
  const bool single = keys == ExpectKeys::Single;
  if (single && e["playbook"]) x.playbook = r.scalar(e["playbook"], "'playbook'");
  if (keys != ExpectKeys::Compound && e["state"]) x.state = r.scalar(e["state"], "'state'");
  if (e["level"]) x.level = r.scalar(e["level"], "'level'");
  if (e["compensation"]) x.compensation = r.scalar(e["compensation"], "'compensation'");
  if (keys != ExpectKeys::Part && e["error"]) x.error = r.scalar(e["error"], "'error'");
  if (e["approval"]) {
    x.approval_given = true;
    if (!e["approval"].IsNull()) x.approval = r.scalar(e["approval"], "'approval'");
  }
  if (e["approved"]) x.approved = r.boolean(e["approved"], "'approved'");
  if (e["held"]) x.held = r.boolean(e["held"], "'held'");
  if (e["capped"]) x.capped = r.boolean(e["capped"], "'capped'");
  if (e["signed_off"]) x.signed_off = r.boolean(e["signed_off"], "'signed_off'");
  for (auto [key, field] : {std::pair{"owed", &x.owed}, {"goodwill", &x.goodwill}, {"paid", &x.paid},
                            {"remaining", &x.remaining}, {"payable", &x.payable}})
    if (e[key]) {
      *field = r.scalar(e[key], key);
      if (*field && !Money::parse(**field)) r.error(e[key], std::string("'") + key + "' is an amount with its currency, like \"70.00 EUR\"");
    }
  read_says(r, e["say"], x.say, false);
  read_says(r, e["say_contains"], x.say_contains, true);
  read_says(r, e["say_lacks"], x.say_lacks, true);
  if (e["actions"]) x.actions = e["actions"].IsNull() ? std::vector<std::string>{} : optional_list(r, e["actions"], "'actions'");
  if (keys != ExpectKeys::Compound) {
    if (e["reasons"]) x.reasons = e["reasons"].IsNull() ? std::vector<std::string>{} : optional_list(r, e["reasons"], "'reasons'");
    if (e["items"]) x.items = e["items"].IsNull() ? std::vector<std::string>{} : optional_list(r, e["items"], "'items'");
    if (e["path"]) x.path = e["path"].IsNull() ? std::vector<std::string>{} : optional_list(r, e["path"], "'path'");
  }
  if (e["next_change_at"]) {
    x.next_change_given = true;
    if (!e["next_change_at"].IsNull()) x.next_change_at = instant(r, e["next_change_at"], "'next_change_at'");
  }
  if (e["do"]) read_action_details(r, e["do"], x);
}

void read_tests(Reader& r, const YAML::Node& n, Playbook& pb) {
  if (!r.expect_seq(n, "'tests'")) return;
  for (const auto& t : n) {
    if (!r.expect_map(t, "a test")) continue;
    r.check_keys(t, {"name", "playbook", "state", "event", "now", "entered_at", "facts", "sign_offs", "paid", "pauses",
                     "done", "timezone", "expect"},
                 "a test");
    PlaybookTest test;
    test.file = r.source().path();
    test.line = r.pos(t).line;
    if (t["name"]) if (auto s = r.scalar(t["name"], "'name'")) test.name = *s;
    if (test.name.empty()) test.name = "test at line " + std::to_string(test.line);
    // The case part reads like a case file (check_keys above reports any other key).
    if (auto problem = case_from_yaml(t, test.input, {"state", "event", "now", "entered_at", "facts", "sign_offs", "paid",
                                                      "pauses", "done", "timezone"})) {
      YAML::Node where = problem->where.Mark().is_null() ? YAML::Node(t) : problem->where;
      r.error(where, "test '" + test.name + "': " + problem->message);
      continue;
    }
    test.input.playbook = pb.id;
    if (t["playbook"]) if (auto s = r.scalar(t["playbook"], "'playbook'")) test.input.playbook = *s;
    if (t["expect"] && r.expect_map(t["expect"], "'expect'")) {
      const YAML::Node& e = t["expect"];
      r.check_keys(e, {"playbook", "state", "level", "actions", "compensation", "approval", "approved", "held", "capped",
                       "reasons", "items", "path", "error", "owed", "goodwill", "paid", "remaining", "payable", "signed_off",
                       "say", "say_contains", "say_lacks", "do", "next_change_at"},
                   "'expect'");
      read_expect(r, e, test.expect, ExpectKeys::Single);
    } else if (!t["expect"]) {
      r.error(t, "test '" + test.name + "' has no 'expect': say what the decision must be");
    }
    pb.info.tests.push_back(std::move(test));
  }
}

void read_test_file(Document& doc, const std::string& stem, detail::CompiledPack& pack,
                    std::vector<Diagnostic>& diags) {
  Reader r(*doc.src, diags);
  r.check_keys(doc.root, {"playbook", "tests"}, "a test file");
  detail::Playbook* owner = nullptr;
  for (auto& pb : pack.playbooks)
    if (std::filesystem::path(pb.file).stem().string() == stem) owner = &pb;
  if (doc.root["playbook"]) if (auto id = r.scalar(doc.root["playbook"], "'playbook'")) {
    auto it = pack.playbook_index.find(*id);
    if (it != pack.playbook_index.end()) owner = &pack.playbooks[it->second];
    else r.error(doc.root["playbook"], "no playbook '" + *id + "' was loaded");
  }
  if (!owner) {
    r.error(doc.root, "no playbook '" + stem + ".yaml' beside this test file (or it failed to load)");
    return;
  }
  if (!doc.root["tests"]) { r.error(doc.root, "a test file holds 'tests:' (a list of tests)"); return; }
  read_tests(r, doc.root["tests"], *owner);
}

}  // namespace redress::load
