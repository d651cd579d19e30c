// pack.yaml: what a directory's pack file gives every playbook in it (spec §2): a currency, a
// ladder, facts and lets, which a playbook inherits and may override by name; and
// `strict_facts`, the default of EvaluateOptions::strict_facts for its playbooks.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compile/compiled.hpp"
#include "load/document.hpp"
#include "redress/money.hpp"

namespace redress::load {

struct PackDefaults {
  Document* doc = nullptr;
  std::optional<Currency> currency;
  std::vector<std::string> ladder;
  bool limits_cover_owed = false;    // compensation_limits: all
  YAML::Node facts, lets;  // null when pack.yaml has none
  YAML::Node rank;         // `rank:` for every playbook that gives none (compiled per playbook)
  std::vector<detail::NamedCalendar> calendars;  // read once here, shared by the playbooks
  bool strict_facts = false;  // `strict_facts`: unknown case facts are errors (EvaluateOptions)

  // When pack.yaml has an error, a playbook's errors about what pack.yaml tried to give it are
  // that error's echo, not problems of their own (issue #9): the names it declares (facts,
  // lets, rungs, calendars, read even where a declaration is broken) and its currency.
  FileId file = 0;
  bool failed = false;      // pack.yaml has an error (set as soon as one is seen)
  bool unreadable = false;  // not even its keys could be read: every name may be an echo
  std::set<std::string> names;
  bool names_currency = false;
  YAML::Node compound;  // `compound:` (spec §4.1), read once every playbook is (load/compound.cpp)
  std::string dir;      // the directory it is the pack.yaml of
};

// Whether `d`, an error of a playbook beside a failed pack.yaml, only repeats that failure.
bool echoes_pack_yaml(const Diagnostic& d, const PackDefaults& pack);

// Reads each directory's pack.yaml once, on first use.
class PackDefaultsCache {
 public:
  PackDefaultsCache(const Limits& limits, std::vector<Diagnostic>& diags) : limits_(limits), diags_(diags) {}

  // The defaults of `dir`, or nullptr when it has no pack.yaml (or one that failed to parse).
  PackDefaults* for_dir(const std::string& dir);
  // What is known of `dir`'s pack.yaml, even one that failed to parse; nullptr when it has none.
  PackDefaults* known(const std::string& dir);
  // Every pack.yaml read so far, by directory.
  std::vector<PackDefaults*> all();

 private:
  const Limits& limits_;
  std::vector<Diagnostic>& diags_;
  std::map<std::string, std::unique_ptr<Document>> docs_;  // dir -> pack.yaml
  std::map<std::string, PackDefaults> defaults_;
};

}  // namespace redress::load
