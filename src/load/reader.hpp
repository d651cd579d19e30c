// Reading YAML nodes of one file with located diagnostics: key checks with "did you mean",
// scalars, and expressions compiled against a scope. Only src/load includes yaml-cpp.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "expr/expr.hpp"
#include "load/source.hpp"

namespace redress::load {

// A key given with content. An optional section left empty (`facts:` with nothing under it) is
// the same as one left out (spec §1), so it is read only when present().
inline bool present(const YAML::Node& n) { return n.IsDefined() && !n.IsNull(); }

// The key node of `key` in `map` (where an error about the whole section points), or the value
// when there is none.
inline YAML::Node key_of(const YAML::Node& map, const char* key) {
  if (map.IsMap())
    for (auto it = map.begin(); it != map.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == key) return it->first;
  return map[key];
}

class Reader {
 public:
  Reader(const SourceFile& src, std::vector<Diagnostic>& diags) : src_(src), diags_(diags) {}

  const SourceFile& source() const { return src_; }
  // The currency code hints suggest ("add a currency, e.g. '10 GBP'").
  void set_currency_hint(std::string code) { currency_hint_ = std::move(code); }

  // Where a node starts in the file (line 0 for a node without a mark).
  SourceLocation pos(const YAML::Node& n) const;
  std::size_t offset(const YAML::Node& n) const;

  void error(const YAML::Node& n, std::string message);
  void warning(const YAML::Node& n, std::string message);
  void error_at(const SourceLocation& at, std::string message);

  // Every key of `map` must be in `allowed`; reports unknown keys (with the nearest known key)
  // and duplicates. `what` names the section for messages ("a state", "a fact").
  void check_keys(const YAML::Node& map, std::initializer_list<const char*> allowed, const char* what);
  bool expect_map(const YAML::Node& n, const char* what);
  bool expect_seq(const YAML::Node& n, const char* what);
  // A mapping or list of at most `limit` entries, else an error at it naming the limit's
  // LoadLimits `field` ("1200 states; the limit is 1000 (limits.max_states)").
  bool within_count(const YAML::Node& n, std::size_t limit, const char* what, const char* field);

  // A scalar's text, or an error ("`what` must be a single value").
  std::optional<std::string> scalar(const YAML::Node& n, const char* what);
  std::optional<long long> integer(const YAML::Node& n, const char* what);
  std::optional<bool> boolean(const YAML::Node& n, const char* what);
  // A list of scalars.
  std::optional<std::vector<std::string>> string_list(const YAML::Node& n, const char* what);

  // Compiles an expression scalar; checks the result kind when `expected` is given. `role`
  // names the place for messages ("a 'when' condition").
  std::optional<expr::Program> expression(const YAML::Node& n, const expr::Scope& scope,
                                          std::optional<expr::VType> expected, const char* role);

  // The name-ish token of a key, or an error naming what it must look like.
  bool identifier(const YAML::Node& key, const std::string& text, const char* what);

 private:
  const SourceFile& src_;
  std::vector<Diagnostic>& diags_;
  std::string currency_hint_ = "EUR";
};

// The first limit a parsed document passes (node count with aliases, alias expansion, nesting,
// scalar length), at the node where it passes it; checked before the document is interpreted.
struct LimitProblem {
  YAML::Node where;
  std::string message;  // names the LoadLimits field
};
std::optional<LimitProblem> check_limits(const YAML::Node& root, const Limits& limits);

}  // namespace redress::load
