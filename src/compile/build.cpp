#include "compile/build.hpp"

#include <algorithm>

#include "util/sha256.hpp"

namespace redress::compile {

namespace {

using detail::Playbook;
using expr::VType;

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
  for (const auto& s : pb.states) {
    const char* outcome = !s.terminal ? ""
                          : s.outcome == detail::Outcome::Resolved ? "resolved"
                                                                   : "closed_without_agreement";
    info.states.push_back(StateInfo{s.name, s.initial, s.terminal, outcome});
  }
  for (const auto& f : pb.facts) {
    FactInfo fi;
    fi.name = f.name;
    fi.type = f.type_name;
    fi.values = f.values;
    fi.optional = f.optional && !f.has_default;
    fi.required = !f.optional && !f.has_default;
    if (f.has_default) fi.default_value = f.default_display;
    if (f.min) fi.min = f.min->to_string();
    if (f.max) fi.max = f.max->to_string();
    fi.doc = f.doc;
    info.facts.push_back(std::move(fi));
  }
  info.events = pb.events;
  std::sort(info.events.begin(), info.events.end());
}

}  // namespace

std::string playbook_fingerprint(std::string_view text, const std::string_view* pack_text) {
  util::Sha256 h;
  h.update(text);
  if (pack_text) { h.update(std::string(1, '\0')); h.update(*pack_text); }
  return "sha256:" + h.hex_digest();
}

void finish_pack(detail::CompiledPack& pack, std::vector<std::string> sources) {
  for (auto& pb : pack.playbooks) fill_info(pb);
  for (auto& pb : pack.playbooks) fix_default_views(pb);
  std::vector<std::uint32_t> order(pack.playbooks.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto& x = pack.playbooks[a];
    const auto& y = pack.playbooks[b];
    if (x.priority != y.priority) return x.priority > y.priority;
    return x.id < y.id;
  });
  pack.triage_order = order;
  for (const auto& pb : pack.playbooks) pack.ranked = pack.ranked || pb.rank.has_value();
  util::Sha256 h;
  for (std::uint32_t i : order) { h.update(pack.playbooks[i].fingerprint); h.update("\n"); }
  pack.fingerprint = "sha256:" + h.hex_digest();
  for (const auto& pb : pack.playbooks) pack.infos.push_back(pb.info);
  pack.sources = std::move(sources);
}

}  // namespace redress::compile
