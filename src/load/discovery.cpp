#include "load/discovery.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace redress::load {

namespace {

bool ends_with(const std::string& name, const std::string& suffix) {
  return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void add_directory(const std::string& given, const fs::path& p, Discovered& out, std::vector<Diagnostic>& diags) {
  std::error_code ec;
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(p, ec)) {
    if (!e.is_regular_file(ec)) continue;
    std::string name = e.path().filename().string();
    if (name == "pack.yaml" || name == "pack.yml") continue;
    if (ends_with(name, ".test.yaml") || ends_with(name, ".test.yml")) { found.push_back(e.path()); continue; }
    if (ends_with(name, ".yaml") || ends_with(name, ".yml")) found.push_back(e.path());
  }
  if (ec) {
    Diagnostic d; d.location.file = detail::intern_source_file(given); d.message = "cannot list directory: " + ec.message(); diags.push_back(d);
  }
  std::sort(found.begin(), found.end());
  for (const auto& f : found) {
    std::string name = f.filename().string();
    bool is_test = name.find(".test.y") != std::string::npos;
    std::string path_text = (p / f.filename()).string();
    if (is_test) out.tests.push_back({name.substr(0, name.find(".test.y")), path_text});
    else out.playbooks.push_back({path_text, p.string()});
  }
}

void add_file(const std::string& given, const fs::path& p, Discovered& out, std::vector<Diagnostic>& diags) {
  std::error_code ec;
  std::string name = p.filename().string();
  if (name.find(".test.y") != std::string::npos) {
    const std::string stem = name.substr(0, name.find(".test.y"));
    if (stem == "pack") {  // compound tests need their whole pack: the directory's playbooks
      Discovered dir;
      add_directory(given, p.parent_path().empty() ? fs::path(".") : p.parent_path(), dir, diags);
      out.playbooks.insert(out.playbooks.end(), dir.playbooks.begin(), dir.playbooks.end());
      out.tests.push_back({stem, given});
      return;
    }
    out.tests.push_back({stem, given});
    // The playbook beside it.
    fs::path sibling = p.parent_path() / (name.substr(0, name.find(".test.y")) + ".yaml");
    if (fs::is_regular_file(sibling, ec)) out.playbooks.push_back({sibling.string(), p.parent_path().string()});
  } else {
    out.playbooks.push_back({given, p.parent_path().string()});
    fs::path tests = p.parent_path() / (p.stem().string() + ".test.yaml");
    if (fs::is_regular_file(tests, ec)) out.tests.push_back({p.stem().string(), tests.string()});
  }
}

// Keeps the first of each file, comparing canonical paths.
template <typename T, typename PathOf>
void dedupe(std::vector<T>& items, PathOf path_of) {
  std::set<std::string> seen;
  std::vector<T> unique;
  for (auto& item : items)
    if (seen.insert(fs::weakly_canonical(path_of(item)).string()).second) unique.push_back(std::move(item));
  items = std::move(unique);
}

}  // namespace

Discovered discover(const std::vector<std::string>& paths, std::vector<Diagnostic>& diags) {
  Discovered out;
  for (const auto& given : paths) {
    std::error_code ec;
    fs::path p(given);
    if (fs::is_directory(p, ec)) {
      add_directory(given, p, out, diags);
    } else if (fs::is_regular_file(p, ec)) {
      add_file(given, p, out, diags);
    } else {
      Diagnostic d;
      d.location.file = detail::intern_source_file(given);
      d.message = fs::exists(p, ec) ? "not a file or directory" : "no such file or directory";
      diags.push_back(d);
    }
  }
  dedupe(out.playbooks, [](const PlaybookFile& f) { return f.path; });
  dedupe(out.tests, [](const TestFile& t) { return t.path; });
  return out;
}

}  // namespace redress::load
