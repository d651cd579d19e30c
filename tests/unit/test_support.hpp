// Helpers shared by the golden and vector tests.
#pragma once

#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "redress/redress.hpp"

namespace test_support {

// A fresh directory under the system's temp directory (redress_<prefix>_XXXXXX), removed with
// everything in it when the test is done.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& prefix = "test") {
    std::string t = (std::filesystem::temp_directory_path() / ("redress_" + prefix + "_XXXXXX")).string();
    REQUIRE(::mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // Writes `text` to `name` in the directory; its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

inline std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The fingerprint changes with every edit of a playbook; vectors pin everything else.
inline std::string mask_fingerprint(std::string json) {
  const std::string key = "\"fingerprint\": \"";
  auto p = json.find(key);
  if (p == std::string::npos) return json;
  auto start = p + key.size();
  auto end = json.find('"', start);
  return json.replace(start, end - start, "*");
}

inline std::vector<std::filesystem::path> sorted_dirs(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(root))
    if (e.is_directory()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Every NAME.case.{json,yaml} in `dir` is evaluated (with trace) against `pack`; the result
// must equal NAME.expected.json byte for byte, or, for an expected error, NAME.expected.error
// must be a substring of the error. Returns how many were checked.
inline int check_vectors(const redress::Pack& pack, const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  const bool update = std::getenv("REDRESS_UPDATE_GOLDEN") != nullptr;
  std::vector<fs::path> cases;
  if (!fs::is_directory(dir)) return 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.find(".case.") != std::string::npos) cases.push_back(e.path());
  }
  std::sort(cases.begin(), cases.end());
  int n = 0;
  for (const auto& c : cases) {
    std::string name = c.filename().string();
    std::string stem = name.substr(0, name.find(".case."));
    fs::path expected_json = dir / (stem + ".expected.json");
    fs::path expected_error = dir / (stem + ".expected.error");
    CAPTURE(c.string());
    std::string got, error;
    try {
      redress::Case input = redress::parse_case(read(c), name);
      redress::EvaluateOptions options;
      options.trace = true;
      got = mask_fingerprint(redress::to_json(pack.evaluate(input, options), redress::JsonOptions{true})) + "\n";
    } catch (const redress::EvaluationError& e) {
      error = e.what();
    }
    if (fs::exists(expected_error)) {
      std::string want = read(expected_error);
      while (!want.empty() && (want.back() == '\n' || want.back() == '\r')) want.pop_back();
      CHECK_MESSAGE(error.find(want) != std::string::npos, "expected error containing '" << want << "', got '" << error << "'");
    } else if (update) {
      std::ofstream(expected_json, std::ios::binary) << (error.empty() ? got : "ERROR: " + error + "\n");
    } else {
      CHECK_MESSAGE(error.empty(), "unexpected error: " << error);
      CHECK(got == read(expected_json));
    }
    ++n;
  }
  return n;
}

}  // namespace test_support
