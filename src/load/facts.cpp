// Facts and lets (spec §1): declarations with types, defaults, bounds and enum values, from
// pack.yaml and the playbook; lets compiled in order against the facts and earlier lets.
#include "load/playbook_reader.hpp"

#include <map>

#include "util/text.hpp"

namespace redress::load {

using detail::Playbook;
using expr::VType;

namespace {

const std::vector<std::string> kTypeNames = {"bool",   "int",      "number",   "money", "string",
                                             "enum",   "datetime", "duration", "list"};

}  // namespace

std::string currency_mismatch(std::string_view what, const Currency& got, const Currency& playbook) {
  return std::string(what) + " is in " + std::string(got.code()) + " but the playbook's currency is " +
         std::string(playbook.code());
}

void PlaybookReader::read_facts_and_lets(Playbook& pb) {
  const YAML::Node& root = doc_.root;
  // Facts: the pack's declarations first, the playbook's own override by name.
  std::set<std::string> own_lets;
  if (present(root["let"]) && root["let"].IsMap())
    for (auto it = root["let"].begin(); it != root["let"].end(); ++it)
      if (it->first.IsScalar()) own_lets.insert(it->first.Scalar());
  if (pack_ && present(pack_->facts)) {
    for (auto it = pack_->facts.begin(); it != pack_->facts.end(); ++it)
      if (it->first.IsScalar()) remember_spec(it->first.Scalar(), pack_->doc, it->second);
  }
  if (present(root["facts"])) {
    if (r_.expect_map(root["facts"], "'facts'"))
      for (auto it = root["facts"].begin(); it != root["facts"].end(); ++it)
        if (it->first.IsScalar()) remember_spec(it->first.Scalar(), &doc_, it->second);
  }
  if (pack_ && present(pack_->facts)) read_facts(reader_for(pack_->doc), pack_->facts, pb, true);
  if (present(root["facts"]) && root["facts"].IsMap()) read_facts(r_, root["facts"], pb, false);

  // Money needs a currency (unless one is named but misspelt: that error is reported already).
  const bool currency_named = root["currency"] || (pack_ && pack_->doc && pack_->doc->root["currency"]);
  if (pb.has_currency) {
    r_.set_currency_hint(std::string(pb.currency.code()));
    hint_currency_ = std::string(pb.currency.code());
    if (pack_reader_) pack_reader_->set_currency_hint(*hint_currency_);
  }
  // One root cause, one error: the first money fact, else the compensation section (an empty
  // `compensation:` or `{}` holds no money).
  if (!pb.has_currency && !currency_named) {
    bool reported = false;
    for (const auto& f : pb.facts)
      if (f.type.kind == VType::Money) {
        auto& spec = fact_specs_[f.name];
        reader_for(spec.first).error(spec.second, "fact '" + f.name +
            "' is money, but neither the playbook nor pack.yaml names a currency (add 'currency: EUR')");
        reported = true;
        break;
      }
    const YAML::Node& comp = root["compensation"];
    if (!reported && present(comp) && !(comp.IsMap() && comp.size() == 0))
      r_.error(key_of(root, "compensation"), "compensation needs a currency: add 'currency: EUR' to the playbook or pack.yaml");
  }

  if (pack_ && present(pack_->lets)) read_lets(reader_for(pack_->doc), pack_->lets, pb, own_lets);
  if (present(root["let"])) read_lets(r_, root["let"], pb, {});
  pb.slot_count = static_cast<std::uint32_t>(pb.scope.symbols.size());
}

void PlaybookReader::read_facts(Reader& r, const YAML::Node& facts, Playbook& pb, bool from_pack) {
  if (!r.expect_map(facts, "'facts'")) return;
  for (auto it = facts.begin(); it != facts.end(); ++it) {
    if (!it->first.IsScalar()) { r.error(it->first, "a fact name must be a plain name"); continue; }
    const std::string& name = it->first.Scalar();
    // A pack fact the playbook redeclares is read from the playbook instead.
    const YAML::Node& root = doc_.root;
    if (from_pack && present(root["facts"]) && root["facts"].IsMap() && root["facts"][name]) continue;
    add_fact(r, it->first, it->second, pb);
  }
}

void PlaybookReader::add_fact(Reader& r, const YAML::Node& key, const YAML::Node& spec, Playbook& pb) {
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
    std::string hint = util::did_you_mean(*type_name, kTypeNames);
    if (hint.empty()) hint = " (use one of " + util::join(kTypeNames) + ")";
    r.error(type_node, "unknown fact type '" + *type_name + "'" + hint);
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

std::optional<Money> PlaybookReader::money_literal(Reader& r, const YAML::Node& n, const Playbook& pb, const char* what) {
  auto s = r.scalar(n, what);
  if (!s) return std::nullopt;
  if (auto d = Decimal::parse(*s)) return Money{*d, pb.currency};
  auto m = Money::parse(*s);
  if (!m) {
    r.error(n, std::string(what) + " must be an amount like '30 EUR', not '" + *s + "'");
    return std::nullopt;
  }
  if (m->currency != pb.currency) {
    r.error(n, currency_mismatch(what, m->currency, pb.currency));
    return std::nullopt;
  }
  return m;
}

std::optional<Decimal> PlaybookReader::read_bound(Reader& r, const YAML::Node& n, const detail::FactDecl& f, const Playbook& pb) {
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

bool PlaybookReader::read_default(Reader& r, const YAML::Node& n, detail::FactDecl& f, const Playbook& pb) {
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
    f.default_display = "[" + util::join(*items) + "]";
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
      r.error(n, "default '" + *s + "' is not a value of enum fact '" + f.name + "'" + util::did_you_mean(*s, f.values));
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

void PlaybookReader::read_lets(Reader& r, const YAML::Node& lets, Playbook& pb, const std::set<std::string>& skip) {
  if (!r.expect_map(lets, "'let'")) return;
  for (auto it = lets.begin(); it != lets.end(); ++it) {
    if (!it->first.IsScalar()) { r.error(it->first, "a let name must be a plain name"); continue; }
    const std::string& name = it->first.Scalar();
    if (skip.count(name)) {
      // Redeclared by the playbook, so never compiled here; a pack.yaml that does not parse is
      // still an error. Names are the playbook's business: only the text itself is checked.
      std::vector<Diagnostic> found;
      Reader alone(r.source(), found);
      (void)alone.expression(it->second, expr::Scope{}, std::nullopt, "a let");
      for (auto& d : found)
        if (d.message.rfind("unknown name '", 0) != 0) diags_.push_back(std::move(d));
      continue;
    }
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

}  // namespace redress::load
