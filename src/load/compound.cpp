// pack.yaml `compound:` (spec §4.1): steps, losses, exclusive groups, cap and approval of
// compound cases, resolved to indices once every playbook is read.
#include "load/compound.hpp"

#include <filesystem>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analysis/compound.hpp"
#include "load/playbook_reader.hpp"
#include "util/text.hpp"

namespace redress::load {

namespace {

using detail::CompiledPack;
using detail::CompoundRules;

// One compensation rule of the pack: (playbook, rule).
struct ItemAt {
  std::uint32_t playbook, rule;
};

// Union-find over the pack's items: items in one set pay one loss.
class Overlaps {
 public:
  explicit Overlaps(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::size_t find(std::size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void unite(std::size_t a, std::size_t b) { parent_[find(a)] = find(b); }

 private:
  std::vector<std::size_t> parent_;
};

Diagnostic located(Severity sev, const SourceLocation& at, std::string message) {
  Diagnostic d;
  d.severity = sev;
  d.location = at;
  d.message = std::move(message);
  return d;
}

// Every action id of the pack becomes a step; ids the `same_step` groups join share the step of
// their group's first id; an id `separate` lists is a step of each playbook that has it.
void read_steps(CompiledPack& pack, Reader* r, const YAML::Node& groups, const YAML::Node& separate) {
  std::vector<std::string> ids;  // every action id, in pack order, once
  std::unordered_map<std::string, std::size_t> known;
  for (const auto& pb : pack.playbooks)
    for (const auto& st : pb.states)
      for (const auto& a : st.actions)
        if (known.emplace(a.id, ids.size()).second) ids.push_back(a.id);
  std::unordered_map<std::string, std::string> canonical;  // id -> the first id of its group
  if (r && present(groups) && r->expect_seq(groups, "'same_step'")) {
    for (const auto& group : groups) {
      auto list = r->string_list(group, "a 'same_step' group");
      if (!list) continue;
      if (list->size() < 2) {
        r->error(group, "a 'same_step' group lists two or more action ids that are one step, like [apologise, apologise_invoice]");
        continue;
      }
      for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string& id = (*list)[i];
        const YAML::Node at = group[i];
        if (!known.count(id)) {
          r->error(at, "no playbook of the pack has an action '" + id + "'" + util::did_you_mean(id, ids));
          continue;
        }
        if (!canonical.emplace(id, (*list)[0]).second)
          r->error(at, "action '" + id + "' is already in another 'same_step' group; put the ids of one step in one group");
      }
    }
  }
  // Ids several playbooks use for different things (each conflict's own offer): one step per
  // playbook, named by the id.
  std::unordered_set<std::string> apart;
  if (r && present(separate) && r->expect_seq(separate, "'separate'")) {
    auto list = r->string_list(separate, "'separate'");
    for (std::size_t i = 0; list && i < list->size(); ++i) {
      const std::string& id = (*list)[i];
      const YAML::Node at = separate[i];
      if (!known.count(id)) {
        r->error(at, "no playbook of the pack has an action '" + id + "'" + util::did_you_mean(id, ids));
        continue;
      }
      if (canonical.count(id)) {
        r->error(at, "action '" + id + "' is in a 'same_step' group, so it cannot also be 'separate': one step or one per playbook");
        continue;
      }
      if (!apart.insert(id).second) r->error(at, "action '" + id + "' is listed twice in 'separate'");
    }
  }
  CompoundRules& rules = pack.compound;
  std::unordered_map<std::string, std::uint32_t> step_of;
  for (auto& pb : pack.playbooks)
    for (auto& st : pb.states)
      for (auto& a : st.actions) {
        auto c = canonical.find(a.id);
        const std::string& name = c == canonical.end() ? a.id : c->second;
        // A separate id's step is keyed by its playbook too (no id holds a newline).
        const std::string key = apart.count(a.id) ? pb.id + "\n" + a.id : name;
        auto [it, added] = step_of.emplace(key, static_cast<std::uint32_t>(rules.steps.size()));
        if (added) rules.steps.push_back(name);
        a.step = it->second;
      }
}

// `covers` and `exclusive` join items into overlap groups; a group of one item is none.
void read_overlaps(CompiledPack& pack, Reader* r, const YAML::Node& losses_node, const YAML::Node& exclusive,
                   bool warnings, std::vector<Diagnostic>& diags) {
  std::vector<ItemAt> items;
  std::vector<std::string> playbook_ids;
  for (std::uint32_t p = 0; p < pack.playbooks.size(); ++p) {
    playbook_ids.push_back(pack.playbooks[p].id);
    for (std::uint32_t k = 0; k < pack.playbooks[p].compensation.size(); ++k) items.push_back(ItemAt{p, k});
  }
  auto rule_of = [&](const ItemAt& i) -> detail::CompensationRule& { return pack.playbooks[i.playbook].compensation[i.rule]; };
  Overlaps sets(items.size());

  std::optional<std::vector<std::string>> losses;
  if (r && present(losses_node)) losses = r->string_list(losses_node, "'losses'");
  std::map<std::string, std::vector<std::size_t>> by_loss;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (!rule_of(items[i]).covers.empty()) by_loss[rule_of(items[i]).covers].push_back(i);
  std::vector<std::string> loss_names;
  for (const auto& [loss, members] : by_loss) loss_names.push_back(loss);
  for (const auto& [loss, members] : by_loss) {
    for (std::size_t m = 1; m < members.size(); ++m) sets.unite(members[m], members[0]);
    if (!warnings) continue;
    const auto& first = rule_of(items[members[0]]);
    if (losses && std::find(losses->begin(), losses->end(), loss) == losses->end()) {
      for (std::size_t m : members)
        diags.push_back(located(Severity::Warning, rule_of(items[m]).covers_pos,
                                "'covers: " + loss + "' names a loss pack.yaml's compound 'losses' does not list" +
                                    util::did_you_mean_or_list(loss, *losses, "the losses are:")));
    } else if (!losses && members.size() == 1) {
      std::vector<std::string> others;
      for (const auto& l : loss_names)
        if (l != loss) others.push_back(l);
      diags.push_back(located(Severity::Warning, first.covers_pos,
                              "compensation rule '" + first.id + "' covers '" + loss +
                                  "', which no other item covers, so it never keeps a loss from being paid twice" +
                                  util::did_you_mean(loss, others)));
    }
  }

  if (r && present(exclusive) && r->expect_seq(exclusive, "'exclusive'")) {
    for (const auto& group : exclusive) {
      auto list = r->string_list(group, "an 'exclusive' group");
      if (!list) continue;
      if (list->size() < 2) {
        r->error(group, "an 'exclusive' group lists two or more items as PLAYBOOK.ITEM, like [delivery_delay.delay_credit, wrong_invoice.goodwill]");
        continue;
      }
      std::optional<std::size_t> first;
      for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string& name = (*list)[i];
        const YAML::Node at = group[i];
        const auto dot = name.find('.');
        if (dot == std::string::npos) {
          r->error(at, "'" + name + "' must name an item as PLAYBOOK.ITEM, like delivery_delay.delay_credit");
          continue;
        }
        const std::string pb_id = name.substr(0, dot), item_id = name.substr(dot + 1);
        auto p = pack.playbook_index.find(pb_id);
        if (p == pack.playbook_index.end()) {
          r->error(at, "no playbook '" + pb_id + "' in the pack" + util::did_you_mean_or_list(pb_id, playbook_ids, "the pack has:"));
          continue;
        }
        const auto& rules = pack.playbooks[p->second].compensation;
        std::vector<std::string> ids;
        std::optional<std::size_t> found;
        for (std::size_t i2 = 0; i2 < items.size(); ++i2) {
          if (items[i2].playbook != p->second) continue;
          ids.push_back(rule_of(items[i2]).id);
          if (rule_of(items[i2]).id == item_id) found = i2;
        }
        if (!found) {
          r->error(at, "playbook '" + pb_id + "' has no compensation item '" + item_id + "'" +
                           (rules.empty() ? std::string(" (it has no compensation rules)")
                                          : util::did_you_mean_or_list(item_id, ids, "its items:")));
          continue;
        }
        if (first) sets.unite(*found, *first);
        else first = found;
      }
    }
  }

  // Number the sets of two or more items; a set is named by the loss one of its items covers.
  std::vector<std::size_t> size(items.size(), 0);
  for (std::size_t i = 0; i < items.size(); ++i) ++size[sets.find(i)];
  std::unordered_map<std::size_t, std::uint32_t> group_of;
  CompoundRules& rules = pack.compound;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::size_t root = sets.find(i);
    if (size[root] < 2) continue;
    auto [it, added] = group_of.emplace(root, static_cast<std::uint32_t>(rules.overlaps.size()));
    if (added) rules.overlaps.emplace_back();
    auto& rule = rule_of(items[i]);
    rule.overlap = it->second;
    if (rules.overlaps[it->second].empty()) rules.overlaps[it->second] = rule.covers;
  }
}

// Playbooks that name their rungs alike share a ladder class: a compound case needs one ladder.
void classify_ladders(CompiledPack& pack) {
  std::vector<const std::vector<std::string>*> seen;
  for (const auto& pb : pack.playbooks) {
    std::size_t c = 0;
    while (c < seen.size() && *seen[c] != pb.ladder) ++c;
    if (c == seen.size()) seen.push_back(&pb.ladder);
    pack.compound.ladder_class.push_back(static_cast<std::uint32_t>(c));
  }
}

void read_limits(CompoundRules& rules, Reader& r, const YAML::Node& n, const PackDefaults& pd) {
  rules.ladder = pd.ladder.empty() ? kDefaultLadder : pd.ladder;
  if (pd.currency) rules.currency = *pd.currency;
  auto money = [&](const YAML::Node& m, const char* what) -> std::optional<Decimal> {
    auto s = r.scalar(m, what);
    if (!s) return std::nullopt;
    std::optional<Money> parsed = Money::parse(*s);
    if (!parsed) {
      if (auto d = Decimal::parse(*s); d && pd.currency) parsed = Money{*d, *pd.currency};
    }
    if (!parsed) {
      r.error(m, std::string(what) + " must be an amount like '50 EUR', not '" + *s + "'");
      return std::nullopt;
    }
    if (!pd.currency) {
      r.error(m, std::string(what) + " needs the pack's currency: add 'currency: " + std::string(parsed->currency.code()) +
                     "' to this pack.yaml");
      return std::nullopt;
    }
    if (parsed->currency != *pd.currency) {
      r.error(m, currency_mismatch(what, parsed->currency, *pd.currency));
      return std::nullopt;
    }
    if (parsed->amount.sign() < 0) {
      r.error(m, std::string(what) + " cannot be negative");
      return std::nullopt;
    }
    return parsed->amount;
  };
  if (present(n["cap"])) rules.cap = money(n["cap"], "the compound 'cap'");
  if (present(n["approve"]) && r.expect_seq(n["approve"], "'approve'")) {
    for (const auto& a : n["approve"]) {
      if (!a.IsMap()) { r.error(a, "an approval threshold is {above: 30 EUR, level: supervisor}"); continue; }
      r.check_keys(a, {"above", "level"}, "an approval threshold");
      if (!a["above"] || !a["level"]) { r.error(a, "an approval threshold needs both 'above' and 'level'"); continue; }
      auto above = money(a["above"], "'above'");
      auto level = r.scalar(a["level"], "a level");
      if (!above || !level) continue;
      auto rung = std::find(rules.ladder.begin(), rules.ladder.end(), *level);
      if (rung == rules.ladder.end()) {
        r.error(a["level"], "unknown level '" + *level + "'" + util::did_you_mean_or_list(*level, rules.ladder, "the ladder is"));
        continue;
      }
      rules.approvals.push_back(detail::Approval{*above, static_cast<int>(rung - rules.ladder.begin()), r.pos(a)});
    }
    std::stable_sort(rules.approvals.begin(), rules.approvals.end(),
                     [](const detail::Approval& x, const detail::Approval& y) { return x.above < y.above; });
  }
}

}  // namespace

// Whether every playbook file of `dir` is among the loaded playbooks: `compound:` names the
// directory's playbooks together, so a playbook loaded alone (or a pack that failed to load one)
// does not read it.
bool whole_directory(const CompiledPack& pack, const std::string& dir) {
  namespace fs = std::filesystem;
  std::set<fs::path> loaded;
  std::error_code ec;
  for (const auto& pb : pack.playbooks) loaded.insert(fs::weakly_canonical(pb.file, ec));
  for (const auto& e : fs::directory_iterator(dir.empty() ? fs::path(".") : fs::path(dir), ec)) {
    // The files discovery takes for playbooks (load/discovery.cpp).
    const std::string name = e.path().filename().string();
    const std::string ext = e.path().extension().string();
    if (!e.is_regular_file(ec) || (ext != ".yaml" && ext != ".yml") || name == "pack.yaml" || name == "pack.yml" ||
        name.find(".test.y") != std::string::npos)
      continue;
    if (!loaded.count(fs::weakly_canonical(e.path(), ec))) return false;
  }
  return true;
}

void read_compound(CompiledPack& pack, PackDefaultsCache& pack_yaml, bool warnings, std::vector<Diagnostic>& diags) {
  PackDefaults* owner = nullptr;
  for (PackDefaults* pd : pack_yaml.all()) {
    if (!present(pd->compound)) continue;
    if (owner) {
      Reader r(*pd->doc->src, diags);
      r.error(pd->compound, "compound rules are already given by " + owner->doc->src->path() +
                                "; a pack has one set of compound rules (keep one 'compound:' section)");
      continue;
    }
    owner = pd;
  }
  if (owner && !whole_directory(pack, owner->dir)) owner = nullptr;
  // A `covers:` is checked against the other items only when they are all loaded.
  bool whole = true;
  std::set<std::string> dirs;
  for (const auto& pb : pack.playbooks) dirs.insert(std::filesystem::path(pb.file).parent_path().string());
  for (const auto& dir : dirs) whole = whole && whole_directory(pack, dir);
  std::optional<Reader> r;
  YAML::Node n;
  if (owner) {
    r.emplace(*owner->doc->src, diags);
    n = owner->compound;
    if (!r->expect_map(n, "'compound'")) {
      r.reset();
      n = YAML::Node();
    } else {
      r->check_keys(n, {"same_step", "separate", "losses", "exclusive", "cap", "approve", "doc"}, "'compound'");
    }
  }
  Reader* reader = r ? &*r : nullptr;
  read_steps(pack, reader, reader ? n["same_step"] : YAML::Node(), reader ? n["separate"] : YAML::Node());
  read_overlaps(pack, reader, reader ? n["losses"] : YAML::Node(), reader ? n["exclusive"] : YAML::Node(),
                warnings && whole, diags);
  classify_ladders(pack);
  if (reader) read_limits(pack.compound, *reader, n, *owner);
  if (warnings) analysis::analyse_overlaps(pack, diags);
}

}  // namespace redress::load
