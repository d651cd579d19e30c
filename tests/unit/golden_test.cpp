// Golden files: valid packs with cases and their expected Decision JSON, and invalid playbooks
// with their expected diagnostics. Set REDRESS_UPDATE_GOLDEN=1 to rewrite the expectations
// (then read the diff: a golden file is only as good as its review).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "redress/redress.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace redress;

TEST_CASE("golden: valid packs give the expected decisions") {
  fs::path root = fs::path(REDRESS_SOURCE_DIR) / "tests" / "golden" / "ok";
  int checked = 0;
  for (const auto& dir : test_support::sorted_dirs(root)) {
    CAPTURE(dir.string());
    Pack pack = Pack::load(dir.string());
    checked += test_support::check_vectors(pack, dir / "cases");
  }
  CHECK(checked >= 10);
}

TEST_CASE("golden: the bundled pack gives the expected decisions (shared vectors)") {
  fs::path src = REDRESS_SOURCE_DIR;
  Pack pack = Pack::load((src / "playbooks").string());
  int checked = test_support::check_vectors(pack, src / "tests" / "vectors");
  CHECK(checked >= 3);
}

TEST_CASE("golden: invalid playbooks give the expected diagnostics") {
  fs::path root = fs::path(REDRESS_SOURCE_DIR) / "tests" / "golden" / "errors";
  const bool update = std::getenv("REDRESS_UPDATE_GOLDEN") != nullptr;
  int checked = 0;
  std::vector<fs::path> inputs;
  for (const auto& e : fs::directory_iterator(root)) {
    std::string name = e.path().filename().string();
    bool pack_dir = e.is_directory();
    bool playbook = e.path().extension() == ".yaml";
    if (pack_dir || playbook) inputs.push_back(e.path());
  }
  std::sort(inputs.begin(), inputs.end());
  for (const auto& input : inputs) {
    CAPTURE(input.string());
    fs::path expected_path = input;
    expected_path.replace_extension(".expected");
    if (fs::is_directory(input)) expected_path = input.string() + ".expected";
    std::string got;
    try {
      Pack::load(input.string());
      got = "(loaded without errors)\n";
    } catch (const LoadError& e) {
      for (const auto& d : e.diagnostics()) {
        Diagnostic shown = d;
        shown.location.file = detail::intern_source_file(fs::path(d.file()).filename().string());
        got += shown.to_string() + "\n";
      }
    }
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << got;
    } else {
      REQUIRE_MESSAGE(fs::exists(expected_path), "missing " << expected_path.string());
      CHECK(got == test_support::read(expected_path));
    }
    ++checked;
  }
  CHECK(checked >= 10);
}
