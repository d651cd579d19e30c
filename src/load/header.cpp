// The playbook header (redress, playbook, title, currency, …) and the order in which a
// playbook's sections are read (spec §1).
#include "load/playbook_reader.hpp"

#include <algorithm>

#include "util/text.hpp"

namespace redress::load {

using detail::Playbook;
using expr::VType;

const std::vector<std::string> kDefaultLadder = {"agent", "supervisor", "manager", "director"};

// The currency named by a scalar node, with a hint on a typo.
std::optional<Currency> read_currency(Reader& r, const YAML::Node& n) {
  auto code = r.scalar(n, "currency");
  if (!code) return std::nullopt;
  if (auto c = Currency::find(*code)) return c;
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < Currency::table_size(); ++i) codes.emplace_back(Currency::at(i).code());
  std::string hint = util::did_you_mean(*code, codes);
  r.error(n, "unknown currency '" + *code + "'" + (hint.empty() ? ": use an ISO 4217 code such as EUR, USD, GBP" : hint));
  return std::nullopt;
}

bool PlaybookReader::read(Playbook& pb) {
  std::size_t before = diags_.size();
  const YAML::Node& root = doc_.root;
  r_.check_keys(root, {"redress", "playbook", "version", "title", "doc", "currency", "priority",
                       "rank", "match", "facts", "let", "calendars", "calendar", "states", "escalation", "compensation",
                       "tests"},
                "a playbook");
  read_header(pb);

  read_facts_and_lets(pb);

  // The ladder: playbook (escalation.ladder), else pack, else the default. Read before the
  // states: `compensation.approval`, which guards may read, is a rung of it.
  pb.ladder = pack_ && !pack_->ladder.empty() ? pack_->ladder : kDefaultLadder;
  const YAML::Node& escalation = root["escalation"];
  if (present(escalation) && escalation.IsMap() && present(escalation["ladder"]))
    if (auto l = read_ladder(r_, escalation["ladder"])) pb.ladder = *l;
  declare_money_names(pb);

  if (root["match"]) pb.match = r_.expression(root["match"], pb.scope, VType::Bool, "'match'");
  // `rank` (the playbook's, else the pack's, compiled against this playbook's facts and lets).
  if (root["rank"]) pb.rank = read_rank(r_, root["rank"], pb);
  else if (pack_ && pack_->rank && !pack_->rank.IsNull()) pb.rank = read_rank(reader_for(pack_->doc), pack_->rank, pb);
  read_calendars_section(pb);
  if (root["states"]) read_states(root["states"], pb);
  else r_.error(root, "the playbook has no 'states': add at least an initial and a terminal state");

  if (present(escalation)) read_escalation(escalation, pb);
  if (present(root["compensation"])) read_compensation(root["compensation"], pb);
  if (pb.money_early) refuse_early_clock(pb);
  if (present(root["tests"])) read_tests(r_, root["tests"], pb);

  for (std::size_t i = before; i < diags_.size(); ++i)
    if (diags_[i].severity == Severity::Error) return false;
  return true;
}

// `rank`: what the case is about, for triage (spec §4): money or a number.
std::optional<expr::Program> PlaybookReader::read_rank(Reader& r, const YAML::Node& n, Playbook& pb) {
  auto program = r.expression(n, pb.scope, std::nullopt, "'rank'");
  if (!program) return std::nullopt;
  VType kind = program->type().kind;
  if (kind != VType::Money && kind != VType::Number && kind != VType::Int) {
    r.error(n, "'rank' must give money or a number (what the case is about, e.g. 'order_value'), but '" +
                   n.Scalar() + "' gives " + expr::to_string(kind));
    return std::nullopt;
  }
  return program;
}

void PlaybookReader::read_header(Playbook& pb) {
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
  if (pack_) pb.strict_facts = pack_->strict_facts;
  // No currency at all: totals are reported in XXX, ISO 4217's code for "no currency".
  if (!pb.has_currency) pb.currency = Currency::find("XXX").value_or(Currency());
}

}  // namespace redress::load
