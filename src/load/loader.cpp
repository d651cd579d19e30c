// YAML playbooks -> CompiledPack (spec §1, §2): the load pipeline in one place.
//
//   discover files (discovery.cpp) -> parse each (document.cpp), with its directory's pack.yaml
//   (pack_yaml.cpp) -> read its sections (PlaybookReader: header, facts, states, escalation,
//   compensation, tests) -> compute its ways to close (src/compile/to_close.cpp) and check it
//   (src/analysis) -> attach NAME.test.yaml files -> compound rules across the playbooks
//   (compound.cpp) -> finish the compiled model
//   (src/compile/build.cpp).
//
// Every problem of every file is collected as a located diagnostic; nothing after this stage
// ever sees a name it must look up while evaluating.
#include "load/loader.hpp"

#include <algorithm>
#include <filesystem>

#include "analysis/analysis.hpp"
#include "compile/build.hpp"
#include "compile/to_close.hpp"
#include "load/compound.hpp"
#include "load/discovery.hpp"
#include "load/document.hpp"
#include "load/pack_yaml.hpp"
#include "load/playbook_reader.hpp"

namespace fs = std::filesystem;

namespace redress::load {

namespace {

std::string display_name(const fs::path& p) { return p.filename().string(); }

// The state graph gives each state its way to close (evaluation needs it) and the analysis its
// findings (issue #5), with source lines from the text already in memory.
void compile_and_check(detail::Playbook& pb, const SourceFile& src, const Limits& limits,
                       std::vector<Diagnostic>& diags) {
  analysis::Model model = analysis::build_model(pb);
  compile::fill_to_close(pb, model);
  std::size_t before = diags.size();
  analysis::analyse(pb, model, diags);
  if (!limits.analysis_warnings)
    diags.erase(std::remove_if(diags.begin() + static_cast<std::ptrdiff_t>(before), diags.end(),
                               [](const Diagnostic& d) { return d.severity == Severity::Warning; }),
                diags.end());
  for (std::size_t i = before; i < diags.size(); ++i) diags[i].source_line = src.line_text(diags[i].location.line);
}

// The counts LoadLimits bounds, checked before any section is read: a file past one is refused
// with that one error.
bool within_counts(const Document& doc, std::vector<Diagnostic>& diags) {
  const Limits& l = doc.src->limits();
  const YAML::Node& root = doc.root;
  Reader r(*doc.src, diags);
  auto rules = [&](const char* section) {
    const YAML::Node s = root[section];
    return !s || !s.IsMap() || r.within_count(s["rules"], l.max_rules, "rules", "max_rules");
  };
  return r.within_count(root["states"], l.max_states, "states", "max_states") &&
         r.within_count(root["facts"], l.max_facts, "facts", "max_facts") &&
         rules("escalation") && rules("compensation");
}

// Reads one playbook file into `pack`, unless it has errors.
void load_playbook(const PlaybookFile& f, PackDefaultsCache& pack_yaml, const Limits& limits,
                   detail::CompiledPack& pack, std::vector<Diagnostic>& diags) {
  Document doc = parse_document(f.path, display_name(f.path), diags, limits);
  if (!doc.ok) return;
  if (looks_like_case(doc.root)) {
    diags.push_back(doc.src->diag(Severity::Error, 1, 1,
        "this looks like a case file (it has 'facts' but no 'playbook' or 'states'): keep cases outside the pack folder"));
    return;
  }
  if (!within_counts(doc, diags)) return;
  PackDefaults* pd = pack_yaml.for_dir(f.dir);
  detail::Playbook pb;
  pb.file = f.path;
  pb.file_id = doc.src->id();
  std::string_view pack_text = pd ? std::string_view(pd->doc->src->text()) : std::string_view();
  pb.fingerprint = compile::playbook_fingerprint(doc.src->text(), pd ? &pack_text : nullptr);
  const std::size_t before = diags.size();
  bool ok = PlaybookReader(doc, pd, diags).read(pb);
  // A broken pack.yaml is reported once, as itself: not again as every name it would have given.
  if (PackDefaults* known = pack_yaml.known(f.dir)) {
    for (std::size_t i = before; i < diags.size(); ++i)
      known->failed = known->failed || (diags[i].severity == Severity::Error && diags[i].location.file == known->file);
    diags.erase(std::remove_if(diags.begin() + static_cast<std::ptrdiff_t>(before), diags.end(),
                               [&](const Diagnostic& d) { return echoes_pack_yaml(d, *known); }),
                diags.end());
  }
  if (!pb.id.empty() && pack.playbook_index.count(pb.id)) {
    Reader r(*doc.src, diags);
    r.error(doc.root["playbook"], "playbook id '" + pb.id + "' is already used by " +
                                       pack.playbooks[pack.playbook_index[pb.id]].file);
    ok = false;
  }
  if (!ok) return;
  compile_and_check(pb, *doc.src, limits, diags);
  pack.playbook_index[pb.id] = static_cast<std::uint32_t>(pack.playbooks.size());
  pack.playbooks.push_back(std::move(pb));
}

}  // namespace

std::shared_ptr<detail::CompiledPack> load_pack(const std::vector<std::string>& paths,
                                                const Limits& limits,
                                                std::vector<Diagnostic>& diags) {
  auto pack = std::make_shared<detail::CompiledPack>();
  Discovered files = discover(paths, diags);
  if (files.playbooks.size() > limits.max_playbooks) {
    Diagnostic d;
    d.location.file = detail::intern_source_file(paths.empty() ? "" : paths.front());
    d.message = Limits::refusal(std::to_string(files.playbooks.size()) + " playbook files; the limit is " +
                                    std::to_string(limits.max_playbooks),
                                "max_playbooks");
    diags.push_back(d);
    return pack;
  }

  PackDefaultsCache pack_yaml(limits, diags);
  for (const auto& f : files.playbooks) load_playbook(f, pack_yaml, limits, *pack, diags);

  // Tests from NAME.test.yaml, attached to the playbook whose file stem is NAME.
  std::vector<TestFile> compound_tests;
  for (const auto& t : files.tests) {
    if (t.stem == "pack") {  // pack.test.yaml: compound tests, once the compound rules are read
      compound_tests.push_back(t);
      continue;
    }
    // The tests of a playbook that failed to load cannot be attached; its errors say why.
    const bool owner_failed = std::any_of(files.playbooks.begin(), files.playbooks.end(), [&](const PlaybookFile& f) {
      return fs::path(f.path).stem() == t.stem && fs::path(f.path).parent_path() == fs::path(t.path).parent_path() &&
             std::none_of(pack->playbooks.begin(), pack->playbooks.end(),
                          [&](const detail::Playbook& pb) { return pb.file == f.path; });
    });
    if (owner_failed) continue;
    Document doc = parse_document(t.path, display_name(t.path), diags, limits, DocumentKind::Tests);
    if (doc.ok) read_test_file(doc, t.stem, *pack, diags);
  }

  // Compound cases (spec §4.1): pack.yaml's `compound:` names the playbooks' actions and items.
  read_compound(*pack, pack_yaml, limits.analysis_warnings, diags);
  // Compound tests (pack.test.yaml) name the pack's playbooks, steps and items. When a playbook
  // failed to load, its errors say why; its names are not reported again as unknown.
  const bool all_loaded = pack->playbooks.size() == files.playbooks.size();
  for (const auto& t : compound_tests) {
    if (!all_loaded) continue;
    Document doc = parse_document(t.path, display_name(t.path), diags, limits, DocumentKind::Tests);
    if (doc.ok) read_compound_tests(doc, *pack, diags);
  }
  compile::finish_pack(*pack, paths);
  return pack;
}

}  // namespace redress::load
