#include "load/pack_yaml.hpp"

#include <filesystem>

#include "load/playbook_reader.hpp"

namespace fs = std::filesystem;

namespace redress::load {

PackDefaults* PackDefaultsCache::for_dir(const std::string& dir) {
  auto it = defaults_.find(dir);
  if (it != defaults_.end()) return it->second.doc ? &it->second : nullptr;
  PackDefaults& pd = defaults_[dir];
  std::error_code ec;
  fs::path pack_path = fs::path(dir.empty() ? "." : dir) / "pack.yaml";
  if (!fs::is_regular_file(pack_path, ec)) return nullptr;
  std::string shown = dir.empty() ? "pack.yaml" : pack_path.string();
  auto doc = std::make_unique<Document>(parse_document(shown, "pack.yaml", diags_, limits_, DocumentKind::PackYaml));
  if (!doc->ok) { docs_[dir] = std::move(doc); return nullptr; }
  Reader r(*doc->src, diags_);
  r.check_keys(doc->root, {"redress", "currency", "ladder", "compensation_limits", "facts", "let", "calendars", "doc",
                           "strict_facts", "rank"},
               "pack.yaml");
  if (doc->root["redress"]) if (auto v = r.scalar(doc->root["redress"], "'redress'"); v && *v != "1")
    r.error(doc->root["redress"], "unsupported format version '" + *v + "': this redress reads 'redress: 1'");
  if (doc->root["currency"]) pd.currency = read_currency(r, doc->root["currency"]);
  if (doc->root["ladder"]) if (auto l = read_ladder(r, doc->root["ladder"])) pd.ladder = *l;
  if (doc->root["compensation_limits"]) if (auto l = r.scalar(doc->root["compensation_limits"], "'compensation_limits'")) {
    if (*l == "all" || *l == "goodwill") pd.limits_cover_owed = *l == "all";
    else r.error(doc->root["compensation_limits"], "'compensation_limits' is 'goodwill' (the default: the cap, hold and approval cover goodwill items only) or 'all', not '" + *l + "'");
  }
  if (doc->root["calendars"]) pd.calendars = read_calendars(r, doc->root["calendars"]);
  if (doc->root["facts"] && r.within_count(doc->root["facts"], limits_.max_facts, "facts", "max_facts"))
    pd.facts = doc->root["facts"];
  if (doc->root["let"]) pd.lets = doc->root["let"];
  if (doc->root["rank"]) pd.rank = doc->root["rank"];
  if (doc->root["strict_facts"])
    if (auto b = r.boolean(doc->root["strict_facts"], "'strict_facts'")) pd.strict_facts = *b;
  pd.doc = doc.get();
  docs_[dir] = std::move(doc);
  return &pd;
}

}  // namespace redress::load
