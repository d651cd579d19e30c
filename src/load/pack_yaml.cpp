#include "load/pack_yaml.hpp"

#include <filesystem>

#include "load/playbook_reader.hpp"

namespace fs = std::filesystem;

namespace redress::load {

PackDefaults* PackDefaultsCache::known(const std::string& dir) {
  auto it = defaults_.find(dir);
  return it != defaults_.end() && (it->second.doc || it->second.unreadable) ? &it->second : nullptr;
}

namespace {

std::size_t error_count(const std::vector<Diagnostic>& diags) {
  std::size_t n = 0;
  for (const auto& d : diags) n += d.severity == Severity::Error;
  return n;
}

// The names pack.yaml declares, whether or not each declaration is well-formed.
void collect_names(const YAML::Node& root, PackDefaults& pd) {
  if (!root.IsMap()) return;  // an empty pack.yaml declares nothing
  auto keys = [&](const YAML::Node& m) {
    if (present(m) && m.IsMap())
      for (auto it = m.begin(); it != m.end(); ++it)
        if (it->first.IsScalar()) pd.names.insert(it->first.Scalar());
    if (present(m) && m.IsSequence())  // `facts: [calls]`: the names meant, in the wrong shape
      for (const auto& item : m)
        if (item.IsScalar()) pd.names.insert(item.Scalar());
  };
  keys(root["facts"]);
  keys(root["let"]);
  keys(root["calendars"]);
  if (present(root["ladder"]) && root["ladder"].IsSequence())
    for (const auto& rung : root["ladder"])
      if (rung.IsScalar()) pd.names.insert(rung.Scalar());
  pd.names_currency = root["currency"].IsDefined();
}

// The quoted name at the start of "unknown name 'x' …", "unknown level 'x'", "unknown calendar 'x'".
std::optional<std::string> unknown_name(const std::string& message) {
  for (const char* prefix : {"unknown name '", "unknown level '", "unknown calendar '"}) {
    const std::string p = prefix;
    if (message.rfind(p, 0) != 0) continue;
    auto end = message.find('\'', p.size());
    if (end != std::string::npos) return message.substr(p.size(), end - p.size());
  }
  return std::nullopt;
}

}  // namespace

bool echoes_pack_yaml(const Diagnostic& d, const PackDefaults& pack) {
  if (!pack.failed || d.severity != Severity::Error) return false;
  // In pack.yaml too: its let reading its own fact whose declaration is broken.
  if (auto name = unknown_name(d.message)) return pack.unreadable || pack.names.count(*name) > 0;
  if (d.location.file == pack.file) return false;
  const bool about_currency = d.message.find("names a currency") != std::string::npos ||
                              d.message.find("needs a currency") != std::string::npos;
  return about_currency && (pack.unreadable || pack.names_currency);
}

PackDefaults* PackDefaultsCache::for_dir(const std::string& dir) {
  auto it = defaults_.find(dir);
  if (it != defaults_.end()) return it->second.doc ? &it->second : nullptr;
  PackDefaults& pd = defaults_[dir];
  pd.dir = dir;
  std::error_code ec;
  fs::path pack_path = fs::path(dir.empty() ? "." : dir) / "pack.yaml";
  if (!fs::is_regular_file(pack_path, ec)) return nullptr;
  std::string shown = dir.empty() ? "pack.yaml" : pack_path.string();
  auto doc = std::make_unique<Document>(parse_document(shown, "pack.yaml", diags_, limits_, DocumentKind::PackYaml));
  if (!doc->ok) {
    pd.failed = pd.unreadable = true;
    docs_[dir] = std::move(doc);
    return nullptr;
  }
  const std::size_t errors_before = error_count(diags_);
  pd.file = doc->src->id();
  collect_names(doc->root, pd);
  Reader r(*doc->src, diags_);
  r.check_keys(doc->root, {"redress", "currency", "ladder", "compensation_limits", "facts", "let", "calendars", "doc",
                           "strict_facts", "rank", "compound", "tests"},
               "pack.yaml");
  // Tests stay out of pack.yaml: every playbook's fingerprint hashes it, and a playbook loaded
  // alone inherits it without the playbooks its compound tests name.
  if (doc->root["tests"])
    r.error(key_of(doc->root, "tests"), "tests of several playbooks at once go in pack.test.yaml beside pack.yaml "
                                        "(a top-level 'tests:' list); a playbook's own in its 'tests:' or NAME.test.yaml");
  if (doc->root["redress"]) if (auto v = r.scalar(doc->root["redress"], "'redress'"); v && *v != "1")
    r.error(doc->root["redress"], "unsupported format version '" + *v + "': this redress reads 'redress: 1'");
  if (doc->root["currency"]) pd.currency = read_currency(r, doc->root["currency"]);
  if (present(doc->root["ladder"])) if (auto l = read_ladder(r, doc->root["ladder"])) pd.ladder = *l;
  if (doc->root["compensation_limits"]) if (auto l = r.scalar(doc->root["compensation_limits"], "'compensation_limits'")) {
    if (*l == "all" || *l == "goodwill") pd.limits_cover_owed = *l == "all";
    else r.error(doc->root["compensation_limits"], "'compensation_limits' is 'goodwill' (the default: the cap, hold and approval cover goodwill items only) or 'all', not '" + *l + "'");
  }
  if (present(doc->root["calendars"])) pd.calendars = read_calendars(r, doc->root["calendars"]);
  // facts and lets are read by each playbook (they may read its names); their shape is checked
  // here, once, so that a pack.yaml `facts: [a]` is one error, not one per playbook.
  if (present(doc->root["facts"]) && r.expect_map(doc->root["facts"], "'facts'") &&
      r.within_count(doc->root["facts"], limits_.max_facts, "facts", "max_facts"))
    pd.facts = doc->root["facts"];
  if (present(doc->root["let"]) && r.expect_map(doc->root["let"], "'let'")) pd.lets = doc->root["let"];
  if (doc->root["rank"]) {
    if (present(doc->root["rank"])) pd.rank = doc->root["rank"];
    else (void)r.scalar(doc->root["rank"], "'rank'");  // `rank:` with nothing: say so, once
  }
  if (doc->root["doc"]) (void)r.scalar(doc->root["doc"], "'doc'");
  if (doc->root["strict_facts"])
    if (auto b = r.boolean(doc->root["strict_facts"], "'strict_facts'")) pd.strict_facts = *b;
  if (present(doc->root["compound"])) pd.compound = doc->root["compound"];
  pd.failed = error_count(diags_) > errors_before;
  pd.doc = doc.get();
  docs_[dir] = std::move(doc);
  return &pd;
}

std::vector<PackDefaults*> PackDefaultsCache::all() {
  std::vector<PackDefaults*> out;
  for (auto& [dir, pd] : defaults_)
    if (pd.doc) out.push_back(&pd);
  return out;
}

}  // namespace redress::load
