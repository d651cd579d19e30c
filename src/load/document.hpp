// One YAML file of a pack, read into memory and parsed: the source text (kept for diagnostics
// and the analysis, so nothing re-reads the file) and its root node.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "load/source.hpp"

namespace redress::load {

struct Document {
  std::unique_ptr<SourceFile> src;
  YAML::Node root;
  bool ok = false;  // read, within the limits, and a mapping
};

// What a file is for: an empty pack.yaml is a valid pack.yaml (every section is optional); an
// empty playbook is an error that says how a playbook starts, and so is an empty test file.
enum class DocumentKind : std::uint8_t { Playbook, PackYaml, Tests };

// Reads and parses `path` (shown as `display` in traces). Every problem goes to `diags`; the
// document is then not ok.
Document parse_document(const std::string& path, const std::string& display,
                        std::vector<Diagnostic>& diags, const Limits& limits,
                        DocumentKind kind = DocumentKind::Playbook);

// A case saved inside a pack folder would otherwise give a dozen confusing playbook errors.
bool looks_like_case(const YAML::Node& root);

}  // namespace redress::load
