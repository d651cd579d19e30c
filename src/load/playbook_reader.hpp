// Reading one playbook file's sections into the compiled model's Playbook (spec §1). One file
// per section: header.cpp (and the order of sections), facts.cpp (facts and lets), states.cpp
// (states, actions, `say` templates), escalation.cpp, compensation.cpp, tests.cpp. Every name is
// resolved here to an index; every problem becomes a located diagnostic.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compile/compiled.hpp"
#include "load/document.hpp"
#include "load/pack_yaml.hpp"
#include "load/reader.hpp"

namespace redress::load {

// The ladder where neither the playbook nor its pack.yaml names one (spec §2).
extern const std::vector<std::string> kDefaultLadder;
// The currency named by a scalar node, with a hint on a typo (playbook header and pack.yaml).
std::optional<Currency> read_currency(Reader& r, const YAML::Node& n);
// An escalation ladder: distinct rung names, at least one (escalation.ladder and pack.yaml).
std::optional<std::vector<std::string>> read_ladder(Reader& r, const YAML::Node& n);
// "'cap' is in USD but the playbook's currency is EUR".
std::string currency_mismatch(std::string_view what, const Currency& got, const Currency& playbook);
// A `calendars:` map (playbook and pack.yaml), each calendar checked with located errors.
std::vector<detail::NamedCalendar> read_calendars(Reader& r, const YAML::Node& n);
// A `within`/`after`/`every` span: a duration, "4bh" or "2bd".
std::optional<detail::Span> read_span(Reader& r, const YAML::Node& n, const char* what);
// The `tests:` list of a playbook or of its NAME.test.yaml file.
void read_tests(Reader& r, const YAML::Node& n, detail::Playbook& pb);
// Which keys of a test's `expect` read_expect reads: a single test's, all of them; a compound
// test's shared ones (its `states`, `reasons` and `items` mean other things, read by
// compound_tests.cpp); a part's (`parts: {PLAYBOOK: …}`), all but `playbook` and `error`.
enum class ExpectKeys { Single, Compound, Part };
void read_expect(Reader& r, const YAML::Node& e, PlaybookTest::Expect& x, ExpectKeys keys);
// pack.test.yaml: the compound tests of the pack (spec §1), every name checked against `pack`,
// whose playbooks and compound rules are read already.
void read_compound_tests(Document& doc, detail::CompiledPack& pack, std::vector<Diagnostic>& diags);
// A NAME.test.yaml file: attaches its tests to their playbook in `pack`.
void read_test_file(Document& doc, const std::string& stem, detail::CompiledPack& pack,
                    std::vector<Diagnostic>& diags);

class PlaybookReader {
 public:
  PlaybookReader(Document& doc, PackDefaults* pack, std::vector<Diagnostic>& diags)
      : doc_(doc), pack_(pack), diags_(diags), r_(*doc.src, diags) {}

  // Reads every section into `pb`. False when the file has errors.
  bool read(detail::Playbook& pb);

 private:
  using Playbook = detail::Playbook;

  SourceLocation pos_of(const YAML::Node& n) const { return r_.pos(n); }
  // The optional `why:` text of a rule, option or action (what `redress explain` reads out).
  std::optional<std::string> read_why(const YAML::Node& n) {
    if (!n["why"]) return std::nullopt;
    return r_.scalar(n["why"], "'why'");
  }

  Reader& reader_for(Document* d) {
    if (d == &doc_ || !d) return r_;
    if (!pack_reader_) {
      pack_reader_ = std::make_unique<Reader>(*d->src, diags_);
      if (hint_currency_) pack_reader_->set_currency_hint(*hint_currency_);
    }
    return *pack_reader_;
  }

  // header.cpp
  void read_header(Playbook& pb);
  // facts.cpp
  void read_facts_and_lets(Playbook& pb);
  void read_facts(Reader& r, const YAML::Node& facts, Playbook& pb, bool from_pack);
  void add_fact(Reader& r, const YAML::Node& key, const YAML::Node& spec, Playbook& pb);
  bool read_default(Reader& r, const YAML::Node& n, detail::FactDecl& f, const Playbook& pb);
  std::optional<Decimal> read_bound(Reader& r, const YAML::Node& n, const detail::FactDecl& f, const Playbook& pb);
  void read_lets(Reader& r, const YAML::Node& lets, Playbook& pb, const std::set<std::string>& skip);
  std::optional<Money> money_literal(Reader& r, const YAML::Node& n, const Playbook& pb, const char* what);
  // calendars.cpp
  void read_calendars_section(Playbook& pb);
  std::optional<std::uint32_t> calendar_ref(const YAML::Node& n, const Playbook& pb);
  // states.cpp
  void read_states(const YAML::Node& states, Playbook& pb);
  void read_state(const YAML::Node& spec, detail::State& st, Playbook& pb);
  void read_actions(const YAML::Node& n, detail::State& st, Playbook& pb);
  void read_timeouts(const YAML::Node& n, detail::State& st, Playbook& pb);
  void read_outcome(const YAML::Node& n, detail::State& st);
  std::optional<expr::Program> read_rank(Reader& r, const YAML::Node& n, Playbook& pb);
  void collect_action_ids(const YAML::Node& spec, Playbook& pb);
  static std::uint32_t action_index(const std::string& id, const Playbook& pb);
  void check_overdue_ids(const detail::State& st, const Playbook& pb);
  // Escalation and compensation that run before the transitions (a guard reads the
  // compensation) cannot read the state clock: a located error.
  void refuse_early_clock(const Playbook& pb);
  std::vector<detail::Transition> read_options(const YAML::Node& n, Playbook& pb, const char* what);
  std::optional<std::uint32_t> state_ref(const YAML::Node& n, const Playbook& pb);
  std::vector<detail::TemplatePart> read_template(const YAML::Node& n, const Playbook& pb);
  // escalation.cpp
  void read_escalation(const YAML::Node& n, Playbook& pb);
  void read_state_escalation(const YAML::Node& n, detail::State& st, const Playbook& pb);
  std::optional<int> rung_ref(const YAML::Node& n, const Playbook& pb);
  // compensation.cpp
  void read_compensation(const YAML::Node& n, Playbook& pb);
  void declare_money_names(Playbook& pb);
  // The first read of a compensation value in `p` (of `which` only, when given).
  static std::optional<expr::NameUse> reads_money(const expr::Program& p, const Playbook& pb,
                                                  std::optional<detail::MoneyName> which = std::nullopt);
  // A compensation expression that reads a compensation value: a located cycle error.
  bool refuse_money_cycle(const std::optional<expr::Program>& p, const Playbook& pb, const std::string& what);

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

}  // namespace redress::load
