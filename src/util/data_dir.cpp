// Finding the bundled pack and the JSON Schemas (redress/data.hpp): environment, the running
// program's prefix, the configured install prefix, then the source tree.
#include "redress/data.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "redress/pack.hpp"

#ifndef REDRESS_INSTALL_DATADIR
#define REDRESS_INSTALL_DATADIR ""
#endif
#ifndef REDRESS_SOURCE_DIR_FOR_DATA
#define REDRESS_SOURCE_DIR_FOR_DATA ""
#endif

namespace redress {

namespace {

namespace fs = std::filesystem;

// share/redress beside the running program's bin/ (Linux: /proc/self/exe), or "".
fs::path prefix_of_running_program() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) return {};
  return exe.parent_path().parent_path() / "share" / "redress";
}

bool has(const fs::path& dir, const char* marker) {
  std::error_code ec;
  return !dir.empty() && fs::is_regular_file(dir / marker, ec);
}

// `installed` is the subdirectory under a share/redress root, `in_source` the one under the
// source tree; `marker` a file that must be there.
std::string find(const char* what, const char* installed, const char* in_source, const char* marker) {
  if (const char* env = std::getenv("REDRESS_DATA_DIR"); env && *env) {
    fs::path dir = fs::path(env) / installed;
    if (has(dir, marker)) return dir.string();
    throw std::runtime_error(std::string("REDRESS_DATA_DIR is set but ") + dir.string() + " has no " +
                             marker + " (the " + what + ")");
  }
  std::vector<fs::path> candidates;
  if (fs::path root = prefix_of_running_program(); !root.empty()) candidates.push_back(root / installed);
  if (*REDRESS_INSTALL_DATADIR) candidates.push_back(fs::path(REDRESS_INSTALL_DATADIR) / installed);
  if (*REDRESS_SOURCE_DIR_FOR_DATA) candidates.push_back(fs::path(REDRESS_SOURCE_DIR_FOR_DATA) / in_source);
  std::string looked;
  for (const fs::path& dir : candidates) {
    if (has(dir, marker)) return dir.lexically_normal().string();
    looked += (looked.empty() ? "" : ", ") + dir.lexically_normal().string();
  }
  throw std::runtime_error(std::string("cannot find the ") + what + " (looked in " + looked +
                           "); set REDRESS_DATA_DIR to the share/redress directory of the install");
}

}  // namespace

std::string bundled_pack_path() { return find("bundled pack", "playbooks", "playbooks", "pack.yaml"); }

std::string schema_dir() { return find("JSON Schemas", "schemas", "docs", "playbook.schema.json"); }

Pack Pack::bundled(const LoadOptions& options) { return load(bundled_pack_path(), options); }

}  // namespace redress
