// Bounds on what redress reads (docs/reliability.md, "Limits"). Input past one is refused
// before the work the limit guards, with one error located where the limit was passed and
// naming the field ("… (limits.max_states)").
#pragma once

#include <cstddef>

namespace redress {

struct LoadLimits {
  std::size_t max_file_bytes = 4u << 20;      // one YAML file, or one case's text
  std::size_t max_yaml_depth = 64;            // nesting of mappings and sequences
  std::size_t max_yaml_nodes = 200000;        // nodes of one file; an alias counts every time it is used
  std::size_t max_alias_nodes = 10000;        // nodes of one file reached again through aliases (*name)
  std::size_t max_string_bytes = 64u << 10;   // one scalar: a key, a text, a template, an expression
  std::size_t max_expression_depth = 256;     // nesting of one expression; 256 is also the ceiling
  std::size_t max_playbooks = 1000;           // playbook files of one load
  std::size_t max_states = 1000;              // states of one playbook
  std::size_t max_facts = 1000;               // fact declarations of a playbook, and of a pack.yaml
  std::size_t max_rules = 1000;               // rules of one list (escalation rules, compensation rules)
  std::size_t max_case_facts = 10000;         // facts of one case read from text
};

}  // namespace redress
