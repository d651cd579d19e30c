// YAML playbooks -> CompiledPack (spec §1, §2). Every problem of every file is collected as a
// located diagnostic; nothing after this file ever sees a name it must look up while
// evaluating.
#include "load/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "analysis/analysis.hpp"
#include "load/case_yaml.hpp"
#include "load/reader.hpp"
#include "util/sha256.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace redress::load {

namespace {

using detail::Playbook;
using expr::VType;

const std::vector<std::string> kDefaultLadder = {"agent", "supervisor", "manager", "director"};
const std::vector<std::string> kTypeNames = {"bool",   "int",      "number",   "money", "string",
                                             "enum",   "datetime", "duration", "list"};

struct Document {
  std::unique_ptr<SourceFile> src;
  YAML::Node root;
  bool ok = false;
};

// What pack.yaml gives every playbook of its directory.
struct PackDefaults {
  Document* doc = nullptr;
  std::optional<Currency> currency;
  std::vector<std::string> ladder;
  YAML::Node facts, lets;
};

Document parse_document(const std::string& path, const std::string& display,
                        std::vector<Diagnostic>& diags, const Limits& limits) {
  Document d;
  std::string error;
  auto text = read_file(path, error);
  if (!text) {
    Diagnostic diag;
    diag.file = path;
    diag.message = error;
    diags.push_back(diag);
    return d;
  }
  d.src = std::make_unique<SourceFile>(path, display, std::move(*text));
  if (auto problem = d.src->precheck(limits)) {
    diags.push_back(*problem);
    return d;
  }
  try {
    d.root = YAML::Load(d.src->text());
  } catch (const YAML::Exception& e) {
    std::uint32_t line = e.mark.is_null() ? 0 : static_cast<std::uint32_t>(e.mark.line + 1);
    std::uint32_t col = e.mark.is_null() ? 0 : static_cast<std::uint32_t>(e.mark.column + 1);
    // yaml-cpp's words for the two most common slips of a hand-written file.
    std::string hint = e.msg == "illegal map value"
        ? " (indent with spaces, never a tab; put a value that contains ': ' in quotes)" : "";
    diags.push_back(d.src->diag(Severity::Error, line, col, "malformed YAML: " + e.msg + hint));
    return d;
  } catch (const std::exception& e) {
    diags.push_back(d.src->diag(Severity::Error, 0, 0, std::string("cannot read YAML: ") + e.what()));
    return d;
  }
  if (!within_limits(d.root, limits)) {
    diags.push_back(d.src->diag(Severity::Error, 1, 1,
                                "the document is too large or nested too deeply (aliases count each time they are used)"));
    return d;
  }
  if (!d.root.IsDefined() || d.root.IsNull()) {
    diags.push_back(d.src->diag(Severity::Error, 1, 1,
                                "empty file: a playbook starts with 'redress: 1' and 'playbook: <id>'"));
    return d;
  }
  if (!d.root.IsMap()) {
    Reader r(*d.src, diags);
    r.error(d.root, "a playbook file must be a mapping of keys (redress, playbook, states, …)");
    return d;
  }
  d.ok = true;
  return d;
}

// The currency named by a scalar node, with a hint on a typo.
std::optional<Currency> read_currency(Reader& r, const YAML::Node& n) {
  auto code = r.scalar(n, "currency");
  if (!code) return std::nullopt;
  if (auto c = Currency::find(*code)) return c;
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < Currency::table_size(); ++i) codes.emplace_back(Currency::at(i).code());
  std::string msg = "unknown currency '" + *code + "': use an ISO 4217 code such as EUR, USD, GBP";
  if (auto near = util::nearest(*code, codes)) msg = "unknown currency '" + *code + "' (did you mean '" + *near + "'?)";
  r.error(n, msg);
  return std::nullopt;
}

std::optional<std::vector<std::string>> read_ladder(Reader& r, const YAML::Node& n) {
  auto rungs = r.string_list(n, "the ladder");
  if (!rungs) return std::nullopt;
  if (rungs->empty()) {
    r.error(n, "the ladder needs at least one rung, e.g. [agent, supervisor, manager]");
    return std::nullopt;
  }
  std::set<std::string> seen;
  for (const auto& rung : *rungs)
    if (!seen.insert(rung).second) {
      r.error(n, "the ladder names '" + rung + "' twice");
      return std::nullopt;
    }
  return rungs;
}

void read_tests(Reader& r, const YAML::Node& n, Playbook& pb);

class PlaybookCompiler {
 public:
  PlaybookCompiler(Document& doc, PackDefaults* pack, std::vector<Diagnostic>& diags)
      : doc_(doc), pack_(pack), diags_(diags), r_(*doc.src, diags) {}

  // False when the file has errors.
  bool compile(Playbook& pb);

 private:
  detail::SourcePos pos_of(const YAML::Node& n) const {
    auto p = r_.pos(n);
    return {p.line, p.column};
  }

  Reader& reader_for(Document* d) {
    if (d == &doc_ || !d) return r_;
    if (!pack_reader_) {
      pack_reader_ = std::make_unique<Reader>(*d->src, diags_);
      if (hint_currency_) pack_reader_->set_currency_hint(*hint_currency_);
    }
    return *pack_reader_;
  }

  void read_header(Playbook& pb);
  void read_facts(Reader& r, const YAML::Node& facts, Playbook& pb, bool from_pack);
  void add_fact(Reader& r, const YAML::Node& key, const YAML::Node& spec, Playbook& pb);
  bool read_default(Reader& r, const YAML::Node& n, detail::FactDecl& f, const Playbook& pb);
  std::optional<Decimal> read_bound(Reader& r, const YAML::Node& n, const detail::FactDecl& f, const Playbook& pb);
  void read_lets(Reader& r, const YAML::Node& lets, Playbook& pb, const std::set<std::string>& skip);
  void read_states(const YAML::Node& states, Playbook& pb);
  void read_state(const YAML::Node& spec, detail::State& st, Playbook& pb);
  void read_actions(const YAML::Node& n, detail::State& st, Playbook& pb);
  std::vector<detail::Transition> read_options(const YAML::Node& n, Playbook& pb, const char* what);
  std::optional<std::uint32_t> state_ref(const YAML::Node& n, const Playbook& pb);
  std::optional<int> rung_ref(const YAML::Node& n, const Playbook& pb);
  std::vector<detail::TemplatePart> read_template(const YAML::Node& n, const Playbook& pb);
  void read_escalation(const YAML::Node& n, Playbook& pb);
  void read_compensation(const YAML::Node& n, Playbook& pb);
  std::optional<Money> money_literal(Reader& r, const YAML::Node& n, const Playbook& pb, const char* what);

  // Never assign to a YAML::Node that already refers to a node: yaml-cpp's operator= then
  // rewrites the node it refers to (here: pack.yaml's declaration, shared by every playbook).
  void remember_spec(const std::string& name, Document* d, const YAML::Node& spec) {
    fact_specs_.erase(name);
    fact_specs_.emplace(name, std::make_pair(d, spec));
  }

  Document& doc_;
  PackDefaults* pack_;
  std::vector<Diagnostic>& diags_;
  Reader r_;
  std::unique_ptr<Reader> pack_reader_;
  std::optional<std::string> hint_currency_;
  std::map<std::string, std::pair<Document*, YAML::Node>> fact_specs_;  // name -> where declared
};

bool PlaybookCompiler::compile(Playbook& pb) {
  std::size_t before = diags_.size();
  const YAML::Node& root = doc_.root;
  r_.check_keys(root, {"redress", "playbook", "version", "title", "doc", "currency", "priority",
                       "match", "facts", "let", "states", "escalation", "compensation", "tests"},
                "a playbook");
  read_header(pb);

  // Facts: the pack's declarations first, the playbook's own override by name.
  std::set<std::string> own_lets;
  if (root["let"] && root["let"].IsMap())
    for (auto it = root["let"].begin(); it != root["let"].end(); ++it)
      if (it->first.IsScalar()) own_lets.insert(it->first.Scalar());
  if (pack_ && pack_->facts) {
    for (auto it = pack_->facts.begin(); it != pack_->facts.end(); ++it)
      if (it->first.IsScalar()) remember_spec(it->first.Scalar(), pack_->doc, it->second);
  }
  if (root["facts"]) {
    if (r_.expect_map(root["facts"], "'facts'"))
      for (auto it = root["facts"].begin(); it != root["facts"].end(); ++it)
        if (it->first.IsScalar()) remember_spec(it->first.Scalar(), &doc_, it->second);
  }
  if (pack_ && pack_->facts) read_facts(reader_for(pack_->doc), pack_->facts, pb, true);
  if (root["facts"] && root["facts"].IsMap()) read_facts(r_, root["facts"], pb, false);

  // Money needs a currency (unless one is named but misspelt: that error is reported already).
  const bool currency_named = root["currency"] || (pack_ && pack_->doc && pack_->doc->root["currency"]);
  if (pb.has_currency) {
    r_.set_currency_hint(std::string(pb.currency.code()));
    hint_currency_ = std::string(pb.currency.code());
    if (pack_reader_) pack_reader_->set_currency_hint(*hint_currency_);
  }
  if (!pb.has_currency && !currency_named) {
    for (const auto& f : pb.facts)
      if (f.type.kind == VType::Money) {
        auto& spec = fact_specs_[f.name];
        reader_for(spec.first).error(spec.second, "fact '" + f.name +
            "' is money, but neither the playbook nor pack.yaml names a currency (add 'currency: EUR')");
        break;
      }
    if (root["compensation"])
      r_.error(root["compensation"], "compensation needs a currency: add 'currency: EUR' to the playbook or pack.yaml");
  }

  if (pack_ && pack_->lets) read_lets(reader_for(pack_->doc), pack_->lets, pb, own_lets);
  if (root["let"]) read_lets(r_, root["let"], pb, {});
  pb.slot_count = static_cast<std::uint32_t>(pb.scope.symbols.size());

  if (root["match"]) pb.match = r_.expression(root["match"], pb.scope, VType::Bool, "'match'");
  if (root["states"]) read_states(root["states"], pb);
  else r_.error(root, "the playbook has no 'states': add at least an initial and a terminal state");

  // The ladder: playbook (escalation.ladder), else pack, else the default.
  pb.ladder = pack_ && !pack_->ladder.empty() ? pack_->ladder : kDefaultLadder;
  if (root["escalation"]) read_escalation(root["escalation"], pb);
  if (root["compensation"]) read_compensation(root["compensation"], pb);
  if (root["tests"]) read_tests(r_, root["tests"], pb);

  for (std::size_t i = before; i < diags_.size(); ++i)
    if (diags_[i].severity == Severity::Error) return false;
  return true;
}

void PlaybookCompiler::read_header(Playbook& pb) {
  const YAML::Node& root = doc_.root;
  if (!root["redress"]) {
    r_.error(root, "missing 'redress: 1' (the format version) at the top of the playbook");
  } else if (auto v = r_.scalar(root["redress"], "'redress'")) {
    if (*v != "1") r_.error(root["redress"], "unsupported format version '" + *v + "': this redress reads 'redress: 1'");
  }
  if (!root["playbook"]) {
    r_.error(root, "missing 'playbook: <id>' (a name like delivery_delay)");
  } else if (auto id = r_.scalar(root["playbook"], "'playbook'")) {
    bool ok = !id->empty() && (*id)[0] >= 'a' && (*id)[0] <= 'z';
    for (char c : *id) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    if (!ok) r_.error(root["playbook"], "playbook id '" + *id + "' must be lower case letters, digits and '_', starting with a letter");
    pb.id = *id;
  }
  if (root["version"]) if (auto v = r_.scalar(root["version"], "'version'")) pb.version = *v;
  if (root["title"]) if (auto v = r_.scalar(root["title"], "'title'")) pb.title = *v;
  if (root["doc"]) if (auto v = r_.scalar(root["doc"], "'doc'")) pb.doc = *v;
  if (root["priority"]) if (auto v = r_.integer(root["priority"], "'priority'")) pb.priority = static_cast<int>(*v);
  if (root["currency"]) {
    if (auto c = read_currency(r_, root["currency"])) { pb.currency = *c; pb.has_currency = true; }
  } else if (pack_ && pack_->currency) {
    pb.currency = *pack_->currency;
    pb.has_currency = true;
  }
  // No currency at all: totals are reported in XXX, ISO 4217's code for "no currency".
  if (!pb.has_currency) pb.currency = Currency::find("XXX").value_or(Currency());
}

void PlaybookCompiler::read_facts(Reader& r, const YAML::Node& facts, Playbook& pb, bool from_pack) {
  if (!r.expect_map(facts, "'facts'")) return;
  for (auto it = facts.begin(); it != facts.end(); ++it) {
    if (!it->first.IsScalar()) { r.error(it->first, "a fact name must be a plain name"); continue; }
    const std::string& name = it->first.Scalar();
    // A pack fact the playbook redeclares is read from the playbook instead.
    const YAML::Node& root = doc_.root;
    if (from_pack && root["facts"] && root["facts"].IsMap() && root["facts"][name]) continue;
    add_fact(r, it->first, it->second, pb);
  }
}

void PlaybookCompiler::add_fact(Reader& r, const YAML::Node& key, const YAML::Node& spec, Playbook& pb) {
  const std::string& name = key.Scalar();
  if (!r.identifier(key, name, "fact")) return;
  detail::FactDecl f;
  f.name = name;
  YAML::Node type_node;
  if (spec.IsScalar()) {
    type_node = spec;
  } else if (spec.IsMap()) {
    r.check_keys(spec, {"type", "default", "optional", "min", "max", "values", "doc"}, "a fact declaration");
    if (!spec["type"]) {
      r.error(key, "fact '" + name + "' has no 'type' (one of bool, int, number, money, string, enum, datetime, duration, list)");
      return;
    }
    type_node = spec["type"];
  } else {
    r.error(key, "fact '" + name + "' needs a type: write '" + name + ": int' or '" + name + ": {type: int, default: 0}'");
    return;
  }
  auto type_name = r.scalar(type_node, "a fact type");
  if (!type_name) return;
  f.type_name = *type_name;
  static const std::map<std::string, VType> kinds = {
      {"bool", VType::Bool},         {"int", VType::Int},           {"number", VType::Number},
      {"money", VType::Money},       {"string", VType::String},     {"enum", VType::Enum},
      {"datetime", VType::Datetime}, {"duration", VType::Duration}, {"list", VType::List}};
  auto k = kinds.find(*type_name);
  if (k == kinds.end()) {
    std::string msg = "unknown fact type '" + *type_name + "'";
    if (auto near = util::nearest(*type_name, kTypeNames)) msg += " (did you mean '" + *near + "'?)";
    else msg += " (use one of bool, int, number, money, string, enum, datetime, duration, list)";
    r.error(type_node, msg);
    return;
  }
  f.type.kind = k->second;
  if (f.type.kind == VType::Money) f.type.currency = pb.currency.index();
  bool ok = true;
  if (spec.IsMap()) {
    if (spec["doc"]) if (auto d = r.scalar(spec["doc"], "'doc'")) f.doc = *d;
    if (f.type.kind == VType::Enum) {
      if (!spec["values"]) {
        r.error(key, "enum fact '" + name + "' needs 'values: [a, b, …]'");
        ok = false;
      } else if (auto values = r.string_list(spec["values"], "'values'")) {
        std::set<std::string> seen;
        for (const auto& v : *values)
          if (!seen.insert(v).second) { r.error(spec["values"], "enum value '" + v + "' is listed twice"); ok = false; }
        if (values->empty()) { r.error(spec["values"], "an enum needs at least one value"); ok = false; }
        f.values = *values;
      } else {
        ok = false;
      }
    } else if (spec["values"]) {
      r.error(spec["values"], "'values' is only for enum facts (this fact is " + f.type_name + ")");
      ok = false;
    }
    if (spec["optional"]) if (auto o = r.boolean(spec["optional"], "'optional'")) f.optional = *o;
    for (const char* bound : {"min", "max"}) {
      if (!spec[bound]) continue;
      if (f.type.kind != VType::Int && f.type.kind != VType::Number && f.type.kind != VType::Money) {
        r.error(spec[bound], std::string("'") + bound + "' bounds only int, number and money facts");
        ok = false;
        continue;
      }
      auto b = read_bound(r, spec[bound], f, pb);
      if (!b) { ok = false; continue; }
      (std::string(bound) == "min" ? f.min : f.max) = b;
    }
  } else if (f.type.kind == VType::Enum) {
    r.error(key, "enum fact '" + name + "' needs values: write '" + name + ": {type: enum, values: [a, b]}'");
    ok = false;
  }
  if (f.type.kind == VType::Enum) {
    f.type.enum_id = static_cast<std::int16_t>(pb.scope.enums.size());
    pb.scope.enums.push_back(expr::EnumDef{name, f.values});
  }
  if (ok && spec.IsMap() && spec["default"]) {
    f.has_default = read_default(r, spec["default"], f, pb);
    if (f.has_default && f.optional)
      r.warning(spec["optional"], "fact '" + name + "' has a default, so it is never null: 'optional: true' has no effect");
  }
  if (!ok) return;
  f.slot = static_cast<std::uint32_t>(pb.scope.symbols.size());
  pb.scope.symbols.push_back(expr::Symbol{name, f.type, f.slot, f.optional && !f.has_default});
  pb.fact_index[name] = static_cast<std::uint32_t>(pb.facts.size());
  pb.facts.push_back(std::move(f));
}

std::optional<Money> PlaybookCompiler::money_literal(Reader& r, const YAML::Node& n, const Playbook& pb, const char* what) {
  auto s = r.scalar(n, what);
  if (!s) return std::nullopt;
  if (auto d = Decimal::parse(*s)) return Money{*d, pb.currency};
  auto m = Money::parse(*s);
  if (!m) {
    r.error(n, std::string(what) + " must be an amount like '30 EUR', not '" + *s + "'");
    return std::nullopt;
  }
  if (m->currency != pb.currency) {
    r.error(n, std::string(what) + " is in " + std::string(m->currency.code()) + " but the playbook's currency is " +
                   std::string(pb.currency.code()));
    return std::nullopt;
  }
  return m;
}

std::optional<Decimal> PlaybookCompiler::read_bound(Reader& r, const YAML::Node& n, const detail::FactDecl& f, const Playbook& pb) {
  if (f.type.kind == VType::Money) {
    auto m = money_literal(r, n, pb, "a money bound");
    if (!m) return std::nullopt;
    return m->amount;
  }
  auto s = r.scalar(n, "a bound");
  if (!s) return std::nullopt;
  auto d = Decimal::parse(*s);
  if (!d || (f.type.kind == VType::Int && !d->is_integer())) {
    r.error(n, "bound of '" + f.name + "' must be " + (f.type.kind == VType::Int ? "a whole number" : "a number") + ", not '" + *s + "'");
    return std::nullopt;
  }
  return d;
}

bool PlaybookCompiler::read_default(Reader& r, const YAML::Node& n, detail::FactDecl& f, const Playbook& pb) {
  f.default_display = n.IsScalar() ? n.Scalar() : "";
  auto bad = [&](const std::string& s, const char* expected) {
    r.error(n, "default of '" + f.name + "' must be " + expected + ", not '" + s + "'");
    return false;
  };
  if (f.type.kind == VType::List) {
    auto items = r.string_list(n, "a list default");
    if (!items) return false;
    f.default_list = *items;
    f.default_value = expr::Val::list_of(&f.default_list);
    f.default_display = "[" + [&] { std::string s; for (std::size_t i = 0; i < items->size(); ++i) s += (i ? ", " : "") + (*items)[i]; return s; }() + "]";
    return true;
  }
  auto s = r.scalar(n, "a default");
  if (!s) return false;
  switch (f.type.kind) {
    case VType::Bool:
      if (*s == "true") f.default_value = expr::Val::boolean(true);
      else if (*s == "false") f.default_value = expr::Val::boolean(false);
      else return bad(*s, "true or false");
      return true;
    case VType::Int: {
      auto d = Decimal::parse(*s);
      if (!d || !d->is_integer()) return bad(*s, "a whole number");
      f.default_value = expr::Val::integer(*d);
      return true;
    }
    case VType::Number: {
      auto d = Decimal::parse(*s);
      if (!d) return bad(*s, "a number");
      f.default_value = expr::Val::number(*d);
      return true;
    }
    case VType::Money: {
      auto m = money_literal(r, n, pb, "the default");
      if (!m) return false;
      f.default_value = expr::Val::money(m->amount, pb.currency.index());
      return true;
    }
    case VType::String:
      f.default_text = *s;
      f.default_value = expr::Val::string(f.default_text);
      return true;
    case VType::Enum: {
      for (std::size_t i = 0; i < f.values.size(); ++i)
        if (f.values[i] == *s) {
          f.default_text = *s;
          f.default_value = expr::Val::enumeration(static_cast<std::int64_t>(i), f.default_text);
          return true;
        }
      std::string msg = "default '" + *s + "' is not a value of enum fact '" + f.name + "'";
      if (auto near = util::nearest(*s, f.values)) msg += " (did you mean '" + *near + "'?)";
      r.error(n, msg);
      return false;
    }
    case VType::Datetime: {
      auto t = Timestamp::parse(*s);
      if (!t) return bad(*s, "an ISO 8601 date-time with a zone, e.g. 2026-11-23T10:00:00Z");
      f.default_value = expr::Val::datetime(t->micros);
      return true;
    }
    case VType::Duration: {
      auto d = Duration::parse(*s);
      if (!d) return bad(*s, "a duration such as 15m, 2h, 3d or 1d12h");
      f.default_value = expr::Val::duration(d->micros);
      return true;
    }
    default:
      return false;
  }
}

void PlaybookCompiler::read_lets(Reader& r, const YAML::Node& lets, Playbook& pb, const std::set<std::string>& skip) {
  if (!r.expect_map(lets, "'let'")) return;
  for (auto it = lets.begin(); it != lets.end(); ++it) {
    if (!it->first.IsScalar()) { r.error(it->first, "a let name must be a plain name"); continue; }
    const std::string& name = it->first.Scalar();
    if (skip.count(name)) continue;
    if (!r.identifier(it->first, name, "let")) continue;
    if (pb.scope.find(name)) {
      r.error(it->first, "'" + name + "' is already a fact or an earlier let; pick another name");
      continue;
    }
    auto program = r.expression(it->second, pb.scope, std::nullopt, "a let");
    if (!program) continue;
    detail::LetDecl let;
    let.name = name;
    let.slot = static_cast<std::uint32_t>(pb.scope.symbols.size());
    pb.scope.symbols.push_back(expr::Symbol{name, program->type(), let.slot, program->nullable()});
    let.program = std::move(*program);
    pb.lets.push_back(std::move(let));
  }
}

std::optional<std::uint32_t> PlaybookCompiler::state_ref(const YAML::Node& n, const Playbook& pb) {
  auto name = r_.scalar(n, "a target state");
  if (!name) return std::nullopt;
  auto it = pb.state_index.find(*name);
  if (it != pb.state_index.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& s : pb.states) names.push_back(s.name);
  std::string msg = "unknown state '" + *name + "'";
  if (auto near = util::nearest(*name, names)) msg += " (did you mean '" + *near + "'?)";
  else {
    msg += " (states:";
    for (std::size_t i = 0; i < names.size(); ++i) msg += (i ? ", " : " ") + names[i];
    msg += ")";
  }
  r_.error(n, msg);
  return std::nullopt;
}

std::optional<int> PlaybookCompiler::rung_ref(const YAML::Node& n, const Playbook& pb) {
  auto name = r_.scalar(n, "a level");
  if (!name) return std::nullopt;
  for (std::size_t i = 0; i < pb.ladder.size(); ++i)
    if (pb.ladder[i] == *name) return static_cast<int>(i);
  std::string msg = "unknown level '" + *name + "'";
  if (auto near = util::nearest(*name, pb.ladder)) msg += " (did you mean '" + *near + "'?)";
  else {
    msg += " (the ladder is";
    for (std::size_t i = 0; i < pb.ladder.size(); ++i) msg += (i ? ", " : " ") + pb.ladder[i];
    msg += ")";
  }
  r_.error(n, msg);
  return std::nullopt;
}

void PlaybookCompiler::read_states(const YAML::Node& states, Playbook& pb) {
  if (!r_.expect_map(states, "'states'")) return;
  // First the names, so transitions may point forward.
  for (auto it = states.begin(); it != states.end(); ++it) {
    if (!it->first.IsScalar()) { r_.error(it->first, "a state name must be a plain name"); continue; }
    const std::string& name = it->first.Scalar();
    if (!r_.identifier(it->first, name, "state")) continue;
    if (pb.state_index.count(name)) continue;  // the duplicate is reported by check_keys-like logic below
    detail::State st;
    st.name = name;
    auto p = r_.pos(it->first);
    st.pos = {p.line, p.column};
    pb.state_index[name] = static_cast<std::uint32_t>(pb.states.size());
    pb.states.push_back(std::move(st));
  }
  std::set<std::string> seen;
  for (auto it = states.begin(); it != states.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    const std::string& name = it->first.Scalar();
    if (!seen.insert(name).second) { r_.error(it->first, "state '" + name + "' is declared twice"); continue; }
    auto idx = pb.state_index.find(name);
    if (idx == pb.state_index.end()) continue;
    read_state(it->second, pb.states[idx->second], pb);
  }
  // Event table: every state gets a slot per event.
  for (auto& st : pb.states) {
    st.on.resize(pb.events.size());
    st.event_pos.resize(pb.events.size());
  }
  std::vector<std::uint32_t> initials;
  for (std::uint32_t i = 0; i < pb.states.size(); ++i)
    if (pb.states[i].initial) initials.push_back(i);
  if (initials.empty() && !pb.states.empty())
    r_.error(states, "no initial state: mark the state a new case starts in with 'initial: true'");
  if (initials.size() > 1) {
    for (std::size_t i = 1; i < initials.size(); ++i)
      r_.error(states[pb.states[initials[i]].name], "more than one initial state ('" + pb.states[initials[0]].name + "' and '" +
                                                        pb.states[initials[i]].name + "'): keep 'initial: true' on one");
  }
  if (!initials.empty()) pb.initial = initials[0];
  if (pb.states.empty()) r_.error(states, "'states' is empty: add at least an initial and a terminal state");
}

void PlaybookCompiler::read_state(const YAML::Node& spec, detail::State& st, Playbook& pb) {
  if (spec.IsNull()) return;
  if (!r_.expect_map(spec, ("state '" + st.name + "'").c_str())) return;
  r_.check_keys(spec, {"initial", "terminal", "doc", "do", "on", "always"}, ("state '" + st.name + "'").c_str());
  if (spec["initial"]) if (auto b = r_.boolean(spec["initial"], "'initial'")) st.initial = *b;
  if (spec["terminal"]) if (auto b = r_.boolean(spec["terminal"], "'terminal'")) st.terminal = *b;
  if (spec["do"]) read_actions(spec["do"], st, pb);
  if (spec["on"]) {
    const YAML::Node& on = spec["on"];
    if (st.terminal) r_.error(on, "terminal state '" + st.name + "' cannot have 'on' transitions: a terminal state is final");
    if (r_.expect_map(on, "'on'")) {
      for (auto it = on.begin(); it != on.end(); ++it) {
        if (!it->first.IsScalar()) { r_.error(it->first, "an event name must be a plain name"); continue; }
        const std::string& event = it->first.Scalar();
        if (!r_.identifier(it->first, event, "event")) continue;
        auto ev = pb.event_index.find(event);
        std::uint32_t id;
        if (ev == pb.event_index.end()) {
          id = static_cast<std::uint32_t>(pb.events.size());
          pb.event_index[event] = id;
          pb.events.push_back(event);
        } else {
          id = ev->second;
        }
        if (st.on.size() <= id) st.on.resize(id + 1);
        if (st.event_pos.size() <= id) st.event_pos.resize(id + 1);
        st.event_pos[id] = pos_of(it->first);
        if (!st.on[id].empty()) { r_.error(it->first, "event '" + event + "' is listed twice in state '" + st.name + "'"); continue; }
        if (it->second.IsScalar()) {
          if (auto target = state_ref(it->second, pb)) st.on[id].push_back(detail::Transition{*target, std::nullopt, pos_of(it->second)});
        } else {
          st.on[id] = read_options(it->second, pb, "an event's options");
        }
      }
    }
  }
  if (spec["always"]) {
    if (st.terminal) r_.error(spec["always"], "terminal state '" + st.name + "' cannot have 'always' transitions: a terminal state is final");
    st.always = read_options(spec["always"], pb, "'always'");
  }
}

std::vector<detail::Transition> PlaybookCompiler::read_options(const YAML::Node& n, Playbook& pb, const char* what) {
  std::vector<detail::Transition> out;
  if (!r_.expect_seq(n, what)) return out;
  for (const auto& opt : n) {
    if (!opt.IsMap()) { r_.error(opt, "each option must be {to: state, when: condition}"); continue; }
    r_.check_keys(opt, {"to", "when"}, "a transition");
    if (!opt["to"]) { r_.error(opt, "this option has no 'to' (the state to go to)"); continue; }
    auto target = state_ref(opt["to"], pb);
    std::optional<expr::Program> when;
    if (opt["when"]) {
      when = r_.expression(opt["when"], pb.scope, VType::Bool, "a 'when' condition");
      if (!when) continue;
    }
    if (!target) continue;
    out.push_back(detail::Transition{*target, std::move(when), pos_of(opt)});
  }
  return out;
}

std::vector<detail::TemplatePart> PlaybookCompiler::read_template(const YAML::Node& n, const Playbook& pb) {
  std::vector<detail::TemplatePart> parts;
  auto text = r_.scalar(n, "'say'");
  if (!text) return parts;
  expr::SourceMap map = r_.source().map_scalar(r_.offset(n), *text);
  std::string literal;
  const std::string& s = *text;
  auto flush = [&] {
    if (literal.empty()) return;
    detail::TemplatePart p;
    p.text = std::move(literal);
    parts.push_back(std::move(p));
    literal.clear();
  };
  std::vector<std::string> names = {"level", "state", "compensation.total", "due_at"};
  for (const auto& sym : pb.scope.symbols) names.push_back(sym.name);
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '{' && i + 1 < s.size() && s[i + 1] == '{') { literal += '{'; ++i; continue; }
    if (c == '}' && i + 1 < s.size() && s[i + 1] == '}') { literal += '}'; ++i; continue; }
    if (c == '}') { r_.error_at(map.at(i), "a lone '}' in 'say': write '}}' for a brace"); continue; }
    if (c != '{') { literal += c; continue; }
    std::size_t end = s.find('}', i);
    if (end == std::string::npos) { r_.error_at(map.at(i), "'{' without a closing '}' in 'say' (write '{{' for a brace)"); break; }
    std::string name = s.substr(i + 1, end - i - 1);
    // Trim spaces: "{ order_id }" is accepted.
    while (!name.empty() && name.front() == ' ') name.erase(name.begin());
    while (!name.empty() && name.back() == ' ') name.pop_back();
    detail::TemplatePart p;
    p.text = name;
    auto pos = map.at(i + 1);
    p.pos = {pos.line, pos.column};
    if (name == "level") p.kind = detail::TemplatePart::Kind::Level;
    else if (name == "state") p.kind = detail::TemplatePart::Kind::State;
    else if (name == "compensation.total") p.kind = detail::TemplatePart::Kind::CompensationTotal;
    else if (name == "due_at") p.kind = detail::TemplatePart::Kind::DueAt;
    else if (const expr::Symbol* sym = pb.scope.find(name)) { p.kind = detail::TemplatePart::Kind::Slot; p.slot = sym->slot; }
    else {
      std::string msg = "unknown name '" + name + "' in 'say'";
      if (auto near = util::nearest(name, names)) msg += " (did you mean '" + *near + "'?)";
      else {
        msg += " (the names you can use:";
        for (const auto& sym : pb.scope.symbols) msg += " " + sym.name + ",";
        msg += " level, state, compensation.total, due_at)";
      }
      r_.error_at(pos, msg);
      i = end;
      continue;
    }
    flush();
    parts.push_back(std::move(p));
    i = end;
  }
  flush();
  return parts;
}

void PlaybookCompiler::read_actions(const YAML::Node& n, detail::State& st, Playbook& pb) {
  if (!r_.expect_seq(n, "'do'")) return;
  for (const auto& item : n) {
    detail::Action a;
    if (item.IsScalar()) {
      a.id = item.Scalar();
      if (!r_.identifier(item, a.id, "action")) continue;
      st.actions.push_back(std::move(a));
      continue;
    }
    if (!item.IsMap()) { r_.error(item, "an action is a name or {action: name, within: 15m, say: \"…\"}"); continue; }
    r_.check_keys(item, {"action", "when", "within", "say", "options", "to", "doc"}, "an action");
    if (!item["action"]) { r_.error(item, "this action has no 'action' (its name)"); continue; }
    auto id = r_.scalar(item["action"], "'action'");
    if (!id) continue;
    a.id = *id;
    if (!r_.identifier(item["action"], a.id, "action")) continue;
    if (item["when"]) a.when = r_.expression(item["when"], pb.scope, VType::Bool, "a 'when' condition");
    if (item["within"]) {
      if (auto w = r_.scalar(item["within"], "'within'")) {
        a.within = Duration::parse(*w);
        if (!a.within) r_.error(item["within"], "'within' must be a duration such as 15m, 2h, 1d or 1d12h, not '" + *w + "'");
        else if (a.within->micros < 0) r_.error(item["within"], "'within' cannot be negative");
      }
    }
    if (item["say"]) {
      a.has_say = true;
      a.say = read_template(item["say"], pb);
      // {due_at} without `within` could never be filled: every evaluation would fail.
      if (!item["within"])
        for (const auto& part : a.say)
          if (part.kind == detail::TemplatePart::Kind::DueAt) {
            r_.error_at({part.pos.line, part.pos.column}, "'say' of action '" + a.id + "' uses {due_at}, but the action has no 'within', so it never has a deadline (add e.g. 'within: 4h')");
            break;
          }
    }
    if (item["options"]) if (auto o = r_.string_list(item["options"], "'options'")) a.options = *o;
    if (item["to"]) if (auto t = r_.scalar(item["to"], "'to'")) a.to = *t;
    st.actions.push_back(std::move(a));
  }
}

void PlaybookCompiler::read_escalation(const YAML::Node& n, Playbook& pb) {
  if (!r_.expect_map(n, "'escalation'")) return;
  r_.check_keys(n, {"ladder", "start", "rules"}, "'escalation'");
  if (n["ladder"]) if (auto l = read_ladder(r_, n["ladder"])) pb.ladder = *l;
  if (n["start"]) if (auto s = rung_ref(n["start"], pb)) pb.start_rung = *s;
  if (!n["rules"]) return;
  if (!r_.expect_seq(n["rules"], "escalation 'rules'")) return;
  for (const auto& rule : n["rules"]) {
    if (!rule.IsMap()) { r_.error(rule, "an escalation rule is {when: condition, at_least|raise|set: …, why: text}"); continue; }
    r_.check_keys(rule, {"when", "at_least", "raise", "set", "why"}, "an escalation rule");
    detail::EscalationRule er;
    er.pos = pos_of(rule);
    int kinds = (rule["at_least"] ? 1 : 0) + (rule["raise"] ? 1 : 0) + (rule["set"] ? 1 : 0);
    if (kinds != 1) {
      r_.error(rule, kinds ? "an escalation rule takes one of 'at_least', 'raise', 'set', not several"
                           : "this escalation rule says nothing to do: add 'at_least: LEVEL', 'raise: N' or 'set: LEVEL'");
      continue;
    }
    bool ok = true;
    if (rule["at_least"]) { er.kind = detail::EscalationRule::Kind::AtLeast; auto x = rung_ref(rule["at_least"], pb); ok = x.has_value(); er.rung = x.value_or(0); }
    if (rule["set"]) { er.kind = detail::EscalationRule::Kind::Set; auto x = rung_ref(rule["set"], pb); ok = x.has_value(); er.rung = x.value_or(0); }
    if (rule["raise"]) {
      er.kind = detail::EscalationRule::Kind::Raise;
      auto x = r_.integer(rule["raise"], "'raise'");
      ok = x.has_value();
      if (x && (*x < 1 || *x > 1000)) { r_.error(rule["raise"], "'raise' is how many rungs to go up: a whole number from 1"); ok = false; }
      er.rung = static_cast<int>(x.value_or(0));
    }
    if (rule["when"]) { er.when = r_.expression(rule["when"], pb.scope, VType::Bool, "a 'when' condition"); ok = ok && er.when.has_value(); }
    if (rule["why"]) if (auto w = r_.scalar(rule["why"], "'why'")) er.why = *w;
    if (ok) pb.escalation.push_back(std::move(er));
  }
}

void PlaybookCompiler::read_compensation(const YAML::Node& n, Playbook& pb) {
  if (!r_.expect_map(n, "'compensation'")) return;
  r_.check_keys(n, {"combine", "rules", "cap", "approve", "hold"}, "'compensation'");
  if (!pb.has_currency) return;  // reported already
  pb.has_compensation = true;
  if (n["combine"]) {
    if (auto c = r_.scalar(n["combine"], "'combine'")) {
      if (*c == "sum") pb.combine = detail::Combine::Sum;
      else if (*c == "max") pb.combine = detail::Combine::Max;
      else if (*c == "first") pb.combine = detail::Combine::First;
      else {
        std::string msg = "unknown combine '" + *c + "' (use sum, max or first)";
        if (auto near = util::nearest(*c, {"sum", "max", "first"})) msg = "unknown combine '" + *c + "' (did you mean '" + *near + "'?)";
        r_.error(n["combine"], msg);
      }
    }
  }
  if (n["rules"] && r_.expect_seq(n["rules"], "compensation 'rules'")) {
    std::set<std::string> ids;
    for (const auto& rule : n["rules"]) {
      if (!rule.IsMap()) { r_.error(rule, "a compensation rule is {id: name, kind: refund, when: condition, amount: expression}"); continue; }
      r_.check_keys(rule, {"id", "kind", "when", "amount", "doc"}, "a compensation rule");
      detail::CompensationRule cr;
      if (!rule["id"]) { r_.error(rule, "this compensation rule has no 'id'"); continue; }
      if (auto id = r_.scalar(rule["id"], "'id'")) cr.id = *id; else continue;
      if (!ids.insert(cr.id).second) r_.error(rule["id"], "compensation rule id '" + cr.id + "' is used twice");
      if (rule["kind"]) if (auto k = r_.scalar(rule["kind"], "'kind'")) cr.kind = *k;
      if (cr.kind.empty()) cr.kind = cr.id;
      if (rule["when"]) { cr.when = r_.expression(rule["when"], pb.scope, VType::Bool, "a 'when' condition"); if (!cr.when) continue; }
      if (!rule["amount"]) { r_.error(rule, "compensation rule '" + cr.id + "' has no 'amount'"); continue; }
      auto amount = r_.expression(rule["amount"], pb.scope, VType::Money, "'amount'");
      if (!amount) continue;
      if (amount->type().currency != pb.currency.index()) {
        r_.error(rule["amount"], "'amount' is in " + std::string(Currency::from_index(amount->type().currency).code()) +
                                     " but the playbook's currency is " + std::string(pb.currency.code()));
        continue;
      }
      cr.amount = std::move(*amount);
      pb.compensation.push_back(std::move(cr));
    }
  }
  if (n["cap"]) {
    pb.cap = r_.expression(n["cap"], pb.scope, VType::Money, "'cap'");
    if (pb.cap && pb.cap->type().currency != pb.currency.index()) {
      r_.error(n["cap"], "'cap' is in " + std::string(Currency::from_index(pb.cap->type().currency).code()) +
                             " but the playbook's currency is " + std::string(pb.currency.code()));
      pb.cap.reset();
    }
  }
  if (n["approve"] && r_.expect_seq(n["approve"], "'approve'")) {
    for (const auto& a : n["approve"]) {
      if (!a.IsMap()) { r_.error(a, "an approval threshold is {above: 30 EUR, level: supervisor}"); continue; }
      r_.check_keys(a, {"above", "level"}, "an approval threshold");
      if (!a["above"] || !a["level"]) { r_.error(a, "an approval threshold needs both 'above' and 'level'"); continue; }
      auto above = money_literal(r_, a["above"], pb, "'above'");
      auto rung = rung_ref(a["level"], pb);
      if (above && rung) pb.approvals.push_back(detail::Approval{above->amount, *rung, pos_of(a)});
    }
    std::stable_sort(pb.approvals.begin(), pb.approvals.end(),
                     [](const detail::Approval& x, const detail::Approval& y) { return x.above < y.above; });
  }
  if (n["hold"]) {
    const YAML::Node& h = n["hold"];
    if (r_.expect_map(h, "'hold'")) {
      r_.check_keys(h, {"when", "level", "why"}, "'hold'");
      if (!h["when"] || !h["level"]) {
        r_.error(h, "'hold' needs 'when' (the condition) and 'level' (who must review)");
      } else {
        auto when = r_.expression(h["when"], pb.scope, VType::Bool, "a 'when' condition");
        auto rung = rung_ref(h["level"], pb);
        std::string why;
        if (h["why"]) if (auto w = r_.scalar(h["why"], "'why'")) why = *w;
        if (when && rung) pb.hold = detail::Hold{std::move(*when), *rung, why};
      }
    }
  }
}

std::optional<std::vector<std::string>> optional_list(Reader& r, const YAML::Node& n, const char* what) {
  if (n.IsScalar()) return std::vector<std::string>{n.Scalar()};
  return r.string_list(n, what);
}

void read_tests(Reader& r, const YAML::Node& n, Playbook& pb) {
  if (!r.expect_seq(n, "'tests'")) return;
  for (const auto& t : n) {
    if (!r.expect_map(t, "a test")) continue;
    r.check_keys(t, {"name", "playbook", "state", "event", "now", "entered_at", "facts", "expect"}, "a test");
    PlaybookTest test;
    test.file = r.source().path();
    test.line = r.pos(t).line;
    if (t["name"]) if (auto s = r.scalar(t["name"], "'name'")) test.name = *s;
    if (test.name.empty()) test.name = "test at line " + std::to_string(test.line);
    // The case part reads like a case file.
    YAML::Node case_node(YAML::NodeType::Map);
    for (const char* k : {"state", "event", "now", "entered_at", "facts"})
      if (t[k]) case_node[k] = t[k];
    if (auto problem = case_from_yaml(case_node, test.input)) {
      // The node is the test file's own (case_node only holds references to it).
      YAML::Node where = problem->where.Mark().is_null() ? YAML::Node(t) : problem->where;
      r.error(where, "test '" + test.name + "': " + problem->message);
      continue;
    }
    test.input.playbook = pb.id;
    if (t["playbook"]) if (auto s = r.scalar(t["playbook"], "'playbook'")) test.input.playbook = *s;
    if (t["expect"] && r.expect_map(t["expect"], "'expect'")) {
      const YAML::Node& e = t["expect"];
      r.check_keys(e, {"playbook", "state", "level", "actions", "compensation", "approval", "approved", "held", "capped",
                       "reasons", "items", "path", "error"},
                   "'expect'");
      auto& x = test.expect;
      if (e["playbook"]) x.playbook = r.scalar(e["playbook"], "'playbook'");
      if (e["state"]) x.state = r.scalar(e["state"], "'state'");
      if (e["level"]) x.level = r.scalar(e["level"], "'level'");
      if (e["compensation"]) x.compensation = r.scalar(e["compensation"], "'compensation'");
      if (e["error"]) x.error = r.scalar(e["error"], "'error'");
      if (e["approval"]) {
        x.approval_given = true;
        if (!e["approval"].IsNull()) x.approval = r.scalar(e["approval"], "'approval'");
      }
      if (e["approved"]) x.approved = r.boolean(e["approved"], "'approved'");
      if (e["held"]) x.held = r.boolean(e["held"], "'held'");
      if (e["capped"]) x.capped = r.boolean(e["capped"], "'capped'");
      if (e["actions"]) x.actions = e["actions"].IsNull() ? std::vector<std::string>{} : optional_list(r, e["actions"], "'actions'");
      if (e["reasons"]) x.reasons = e["reasons"].IsNull() ? std::vector<std::string>{} : optional_list(r, e["reasons"], "'reasons'");
      if (e["items"]) x.items = e["items"].IsNull() ? std::vector<std::string>{} : optional_list(r, e["items"], "'items'");
      if (e["path"]) x.path = e["path"].IsNull() ? std::vector<std::string>{} : optional_list(r, e["path"], "'path'");
    } else if (!t["expect"]) {
      r.error(t, "test '" + test.name + "' has no 'expect': say what the decision must be");
    }
    pb.info.tests.push_back(std::move(test));
  }
}

// Default values of string, enum and list facts view storage inside their FactDecl; once the
// pack stops moving (the end of load_pack) the views are pointed at their final place.
void fix_default_views(Playbook& pb) {
  for (auto& f : pb.facts) {
    if (!f.has_default) continue;
    if (f.type.kind == VType::String || f.type.kind == VType::Enum) f.default_value.s = f.default_text;
    if (f.type.kind == VType::List) f.default_value.list = &f.default_list;
  }
}

void fill_info(Playbook& pb) {
  PlaybookInfo& info = pb.info;
  info.id = pb.id;
  info.title = pb.title;
  info.version = pb.version;
  info.doc = pb.doc;
  info.file = pb.file;
  info.currency = pb.has_currency ? std::string(pb.currency.code()) : "";
  info.priority = pb.priority;
  info.has_match = pb.match.has_value();
  info.ladder = pb.ladder;
  info.fingerprint = pb.fingerprint;
  for (const auto& s : pb.states) info.states.push_back(StateInfo{s.name, s.initial, s.terminal});
  for (const auto& f : pb.facts) {
    FactInfo fi;
    fi.name = f.name;
    fi.type = f.type_name;
    fi.values = f.values;
    fi.optional = f.optional && !f.has_default;
    fi.required = !f.optional && !f.has_default;
    if (f.has_default) fi.default_value = f.default_display;
    fi.doc = f.doc;
    info.facts.push_back(std::move(fi));
  }
  info.events = pb.events;
  std::sort(info.events.begin(), info.events.end());
}

std::string display_name(const fs::path& p) { return p.filename().string(); }

// A case saved inside a pack folder would otherwise give a dozen confusing playbook errors.
bool looks_like_case(const YAML::Node& root) {
  if (root["playbook"] || root["states"] || root["redress"] || !root["facts"]) return false;
  return root["now"] || root["event"] || root["state"] || root["entered_at"] ||
         (root["facts"].IsMap() && root.size() <= 6);
}

}  // namespace

std::shared_ptr<detail::CompiledPack> load_pack(const std::vector<std::string>& paths,
                                                      const Limits& limits,
                                                      std::vector<Diagnostic>& diags) {
  auto pack = std::make_shared<detail::CompiledPack>();
  // Collect playbook files, each with the pack.yaml of its directory.
  struct Entry { std::string path; std::string dir; };
  std::vector<Entry> files;
  std::vector<std::pair<std::string, std::string>> test_files;  // stem -> path
  for (const auto& given : paths) {
    std::error_code ec;
    fs::path p(given);
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (const auto& e : fs::directory_iterator(p, ec)) {
        if (!e.is_regular_file(ec)) continue;
        std::string name = e.path().filename().string();
        auto ends = [&](const std::string& suffix) {
          return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
        };
        if (name == "pack.yaml" || name == "pack.yml") continue;
        if (ends(".test.yaml") || ends(".test.yml")) { found.push_back(e.path()); continue; }
        if (ends(".yaml") || ends(".yml")) found.push_back(e.path());
      }
      if (ec) {
        Diagnostic d; d.file = given; d.message = "cannot list directory: " + ec.message(); diags.push_back(d);
      }
      std::sort(found.begin(), found.end());
      for (const auto& f : found) {
        std::string name = f.filename().string();
        bool is_test = name.find(".test.y") != std::string::npos;
        std::string path_text = (p / f.filename()).string();
        if (is_test) test_files.emplace_back(name.substr(0, name.find(".test.y")), path_text);
        else files.push_back({path_text, p.string()});
      }
    } else if (fs::is_regular_file(p, ec)) {
      std::string name = p.filename().string();
      if (name.find(".test.y") != std::string::npos) {
        test_files.emplace_back(name.substr(0, name.find(".test.y")), given);
        // The playbook beside it.
        fs::path sibling = p.parent_path() / (name.substr(0, name.find(".test.y")) + ".yaml");
        if (fs::is_regular_file(sibling, ec)) files.push_back({sibling.string(), p.parent_path().string()});
      } else {
        files.push_back({given, p.parent_path().string()});
        fs::path tests = p.parent_path() / (p.stem().string() + ".test.yaml");
        if (fs::is_regular_file(tests, ec)) test_files.emplace_back(p.stem().string(), tests.string());
      }
    } else {
      Diagnostic d;
      d.file = given;
      d.message = fs::exists(p, ec) ? "not a file or directory" : "no such file or directory";
      diags.push_back(d);
    }
  }
  // De-duplicate (a file given twice, or a test file and its playbook).
  {
    std::set<std::string> seen;
    std::vector<Entry> unique;
    for (auto& f : files) if (seen.insert(fs::weakly_canonical(f.path).string()).second) unique.push_back(f);
    files = std::move(unique);
    std::set<std::string> seen_tests;
    std::vector<std::pair<std::string, std::string>> ut;
    for (auto& t : test_files) if (seen_tests.insert(fs::weakly_canonical(t.second).string()).second) ut.push_back(t);
    test_files = std::move(ut);
  }

  std::map<std::string, std::unique_ptr<Document>> pack_docs;  // dir -> pack.yaml
  std::map<std::string, PackDefaults> defaults;
  auto defaults_for = [&](const std::string& dir) -> PackDefaults* {
    auto it = defaults.find(dir);
    if (it != defaults.end()) return it->second.doc ? &it->second : nullptr;
    PackDefaults& pd = defaults[dir];
    std::error_code ec;
    fs::path pack_path = fs::path(dir.empty() ? "." : dir) / "pack.yaml";
    if (!fs::is_regular_file(pack_path, ec)) return nullptr;
    std::string shown = dir.empty() ? "pack.yaml" : pack_path.string();
    auto doc = std::make_unique<Document>(parse_document(shown, "pack.yaml", diags, limits));
    if (!doc->ok) { pack_docs[dir] = std::move(doc); return nullptr; }
    Reader r(*doc->src, diags);
    r.check_keys(doc->root, {"redress", "currency", "ladder", "facts", "let", "doc"}, "pack.yaml");
    if (doc->root["redress"]) if (auto v = r.scalar(doc->root["redress"], "'redress'"); v && *v != "1")
      r.error(doc->root["redress"], "unsupported format version '" + *v + "': this redress reads 'redress: 1'");
    if (doc->root["currency"]) pd.currency = read_currency(r, doc->root["currency"]);
    if (doc->root["ladder"]) if (auto l = read_ladder(r, doc->root["ladder"])) pd.ladder = *l;
    if (doc->root["facts"]) pd.facts = doc->root["facts"];
    if (doc->root["let"]) pd.lets = doc->root["let"];
    pd.doc = doc.get();
    pack_docs[dir] = std::move(doc);
    return &pd;
  };

  std::vector<std::unique_ptr<Document>> docs;
  for (const auto& f : files) {
    auto doc = std::make_unique<Document>(parse_document(f.path, display_name(f.path), diags, limits));
    if (!doc->ok) continue;
    if (looks_like_case(doc->root)) {
      diags.push_back(doc->src->diag(Severity::Error, 1, 1,
          "this looks like a case file (it has 'facts' but no 'playbook' or 'states'): keep cases outside the pack folder"));
      continue;
    }
    PackDefaults* pd = defaults_for(f.dir);
    detail::Playbook pb;
    pb.file = f.path;
    pb.display_file = doc->src->display();
    util::Sha256 h;
    h.update(doc->src->text());
    if (pd) { h.update(std::string(1, '\0')); h.update(pd->doc->src->text()); }
    pb.fingerprint = "sha256:" + h.hex_digest();
    PlaybookCompiler compiler(*doc, pd, diags);
    bool ok = compiler.compile(pb);
    if (!pb.id.empty() && pack->playbook_index.count(pb.id)) {
      Reader r(*doc->src, diags);
      r.error(doc->root["playbook"], "playbook id '" + pb.id + "' is already used by " +
                                         pack->playbooks[pack->playbook_index[pb.id]].file);
      ok = false;
    }
    if (!ok) continue;
    pack->playbook_index[pb.id] = static_cast<std::uint32_t>(pack->playbooks.size());
    pack->playbooks.push_back(std::move(pb));
    docs.push_back(std::move(doc));
  }

  // Tests from NAME.test.yaml, attached to the playbook whose file stem is NAME.
  for (const auto& [stem, path] : test_files) {
    Document doc = parse_document(path, display_name(path), diags, limits);
    if (!doc.ok) continue;
    Reader r(*doc.src, diags);
    r.check_keys(doc.root, {"playbook", "tests"}, "a test file");
    detail::Playbook* owner = nullptr;
    for (auto& pb : pack->playbooks)
      if (fs::path(pb.file).stem().string() == stem) owner = &pb;
    if (doc.root["playbook"]) if (auto id = r.scalar(doc.root["playbook"], "'playbook'")) {
      auto it = pack->playbook_index.find(*id);
      if (it != pack->playbook_index.end()) owner = &pack->playbooks[it->second];
      else r.error(doc.root["playbook"], "no playbook '" + *id + "' was loaded");
    }
    if (!owner) {
      r.error(doc.root, "no playbook '" + stem + ".yaml' beside this test file (or it failed to load)");
      continue;
    }
    if (!doc.root["tests"]) { r.error(doc.root, "a test file holds 'tests:' (a list of tests)"); continue; }
    read_tests(r, doc.root["tests"], *owner);
  }

  // Graph analysis (issue #5): findings become diagnostics; to_close is filled per state.
  for (auto& pb : pack->playbooks) {
    std::size_t before = diags.size();
    analysis::analyse(pb, diags);
    if (!limits.analysis_warnings)
      diags.erase(std::remove_if(diags.begin() + static_cast<std::ptrdiff_t>(before), diags.end(),
                                 [](const Diagnostic& d) { return d.severity == Severity::Warning; }),
                  diags.end());
  }
  for (auto& pb : pack->playbooks) fill_info(pb);
  for (auto& pb : pack->playbooks) fix_default_views(pb);
  std::vector<std::uint32_t> order(pack->playbooks.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto& x = pack->playbooks[a];
    const auto& y = pack->playbooks[b];
    if (x.priority != y.priority) return x.priority > y.priority;
    return x.id < y.id;
  });
  pack->triage_order = order;
  util::Sha256 h;
  for (std::uint32_t i : order) { h.update(pack->playbooks[i].fingerprint); h.update("\n"); }
  pack->fingerprint = "sha256:" + h.hex_digest();
  for (const auto& pb : pack->playbooks) pack->infos.push_back(pb.info);
  pack->sources = paths;
  return pack;
}

}  // namespace redress::load
