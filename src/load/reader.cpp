#include "load/reader.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_set>

#include "util/text.hpp"

namespace redress::load {

std::size_t Reader::offset(const YAML::Node& n) const {
  YAML::Mark m = n.Mark();
  if (m.is_null() || m.pos < 0) return 0;
  std::size_t off = static_cast<std::size_t>(m.pos);
  // yaml-cpp's pos is a byte offset into UTF-8 input; trust it when it agrees with the line.
  if (off <= src_.text().size() && src_.pos_of(off).line == static_cast<std::uint32_t>(m.line + 1))
    return off;
  std::size_t start = src_.offset_of_line(static_cast<std::uint32_t>(m.line + 1));
  return std::min(src_.text().size(), start + static_cast<std::size_t>(std::max(0, m.column)));
}

SourceLocation Reader::pos(const YAML::Node& n) const {
  YAML::Mark m = n.Mark();
  if (m.is_null()) return {src_.id(), 0, 0, 0};
  std::size_t off = offset(n);
  // A value left out (`title:` with nothing after it) is marked where the next token starts,
  // often on the next line: point at its key (or its `- `) instead.
  const std::string& text = src_.text();
  auto literal_at = [&](const char* word) { return text.compare(off, std::char_traits<char>::length(word), word) == 0; };
  if (n.IsNull() && !literal_at("~") && !literal_at("null") && !literal_at("Null") && !literal_at("NULL")) {
    std::size_t p = std::min(off, text.size());
    while (p > 0 && std::isspace(static_cast<unsigned char>(text[p - 1]))) --p;
    if (p > 0 && text[p - 1] == ':') {
      --p;
      while (p > 0 && (std::isalnum(static_cast<unsigned char>(text[p - 1])) || text[p - 1] == '_' ||
                       text[p - 1] == '-' || text[p - 1] == '"' || text[p - 1] == '\''))
        --p;
      off = p;
    } else if (p > 0 && text[p - 1] == '-') {
      off = p - 1;
    }
  }
  return src_.location_of(off);
}

void Reader::error_at(const SourceLocation& at, std::string message) {
  diags_.push_back(src_.diag(Severity::Error, at.line, at.column, std::move(message)));
}

void Reader::error(const YAML::Node& n, std::string message) { error_at(pos(n), std::move(message)); }

void Reader::warning(const YAML::Node& n, std::string message) {
  auto p = pos(n);
  diags_.push_back(src_.diag(Severity::Warning, p.line, p.column, std::move(message)));
}

bool Reader::expect_map(const YAML::Node& n, const char* what) {
  if (n.IsMap()) return true;
  error(n, std::string(what) + " must be a mapping of keys to values");
  return false;
}

bool Reader::expect_seq(const YAML::Node& n, const char* what) {
  if (n.IsSequence()) return true;
  error(n, std::string(what) + " must be a list (`- item` lines or [a, b])");
  return false;
}

void Reader::check_keys(const YAML::Node& map, std::initializer_list<const char*> allowed,
                        const char* what) {
  if (!map.IsMap()) return;
  std::vector<std::string> known(allowed.begin(), allowed.end());
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: it-> yields a temporary proxy
    if (!key.IsScalar()) {
      error(key, std::string("a key of ") + what + " must be a plain name");
      continue;
    }
    const std::string& k = key.Scalar();
    if (!seen.insert(k).second) {
      error(key, "duplicate key '" + k + "' in " + what);
      continue;
    }
    bool ok = false;
    for (const auto& a : known) ok = ok || a == k;
    if (ok) continue;
    error(key, "unknown key '" + k + "' in " + what + util::did_you_mean_or_list(k, known, "known keys:"));
  }
}

std::optional<std::string> Reader::scalar(const YAML::Node& n, const char* what) {
  if (n.IsScalar()) return n.Scalar();
  if (n.IsNull()) {
    error(n, std::string(what) + " is empty: give it a value");
    return std::nullopt;
  }
  error(n, std::string(what) + " must be a single value, not a " + (n.IsMap() ? "mapping" : "list"));
  return std::nullopt;
}

std::optional<long long> Reader::integer(const YAML::Node& n, const char* what) {
  auto s = scalar(n, what);
  if (!s) return std::nullopt;
  auto d = Decimal::parse(*s);
  if (!d || !d->is_integer() || !d->to_int64()) {
    error(n, std::string(what) + " must be a whole number, not '" + *s + "'");
    return std::nullopt;
  }
  return *d->to_int64();
}

std::optional<bool> Reader::boolean(const YAML::Node& n, const char* what) {
  auto s = scalar(n, what);
  if (!s) return std::nullopt;
  if (*s == "true" || *s == "True" || *s == "TRUE") return true;
  if (*s == "false" || *s == "False" || *s == "FALSE") return false;
  error(n, std::string(what) + " must be true or false, not '" + *s + "'");
  return std::nullopt;
}

std::optional<std::vector<std::string>> Reader::string_list(const YAML::Node& n, const char* what) {
  if (!expect_seq(n, what)) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (const auto& item : n) {
    if (!item.IsScalar()) {
      error(item, std::string("each item of ") + what + " must be a single value");
      ok = false;
      continue;
    }
    out.push_back(item.Scalar());
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<expr::Program> Reader::expression(const YAML::Node& n, const expr::Scope& scope,
                                                std::optional<expr::VType> expected,
                                                const char* role) {
  auto text = scalar(n, role);
  if (!text) return std::nullopt;
  expr::SourceMap map = src_.map_scalar(offset(n), *text);
  std::size_t before = diags_.size();
  auto program = expr::compile(*text, map, scope, diags_, expr::CompileLimits{src_.limits().max_expression_depth});
  for (std::size_t i = before; i < diags_.size(); ++i)
    diags_[i].source_line = src_.line_text(diags_[i].location.line);
  if (!program) return std::nullopt;
  if (expected) {
    const expr::Type& t = program->type();
    bool ok = t.kind == *expected ||
              (*expected == expr::VType::Number && t.kind == expr::VType::Int);
    if (!ok) {
      std::string msg = std::string(role) + " must give " + expr::to_string(*expected) +
                        ", but '" + *text + "' gives " + expr::to_string(t.kind);
      if (*expected == expr::VType::Money &&
          (t.kind == expr::VType::Int || t.kind == expr::VType::Number))
        msg += " (add a currency, e.g. '" + *text + " " + currency_hint_ + "', or multiply a money fact)";
      if (*expected == expr::VType::Bool) msg += " (compare it, e.g. '" + *text + " > 0')";
      error_at(map.at(0), msg);
      return std::nullopt;
    }
  }
  return program;
}

bool Reader::identifier(const YAML::Node& key, const std::string& text, const char* what) {
  bool ok = !text.empty() && (std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_');
  for (char c : text) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  static const char* reserved[] = {"and", "or", "not", "in", "true", "false", "null", "now"};
  for (const char* r : reserved) {
    if (text == r) {
      error(key, std::string(what) + " '" + text + "' is a reserved word of the expression language; pick another name");
      return false;
    }
  }
  if (!ok) error(key, std::string(what) + " '" + text + "' must be a name of letters, digits and '_', starting with a letter");
  return ok;
}

namespace {

// One pass over a parsed document: node count, nesting, scalar length, and the nodes reached
// again through aliases. yaml-cpp shares an aliased node rather than copying it, so a node met
// a second time (same start, same kind) was reached through an alias: it and everything under
// it count as alias expansion.
class LimitWalk {
 public:
  explicit LimitWalk(const Limits& limits) : limits_(limits) {}

  std::optional<LimitProblem> run(const YAML::Node& root) {
    visit(root, 0, false, root);
    return std::move(problem_);
  }

 private:
  bool refuse(const YAML::Node& n, std::string what, const char* field) {
    problem_ = LimitProblem{n, Limits::refusal(what, field)};
    return false;
  }

  // `user`: the innermost node not reached through an alias, where an alias bomb is reported
  // (an aliased node carries the location of its anchor, not of its use).
  bool visit(const YAML::Node& n, std::size_t depth, bool via_alias, const YAML::Node& user) {
    if (++nodes_ > limits_.max_yaml_nodes)
      return refuse(n, "more than " + std::to_string(limits_.max_yaml_nodes) +
                           " YAML nodes (an alias counts every time it is used)", "max_yaml_nodes");
    if (depth > limits_.max_yaml_depth)
      return refuse(n, "nesting too deep (more than " + std::to_string(limits_.max_yaml_depth) + " levels)",
                    "max_yaml_depth");
    if (!via_alias && !n.Mark().is_null() && (n.IsMap() || n.IsSequence() || n.IsScalar())) {
      const std::uint64_t key = static_cast<std::uint64_t>(n.Mark().pos) * 8 + static_cast<std::uint64_t>(n.Type());
      via_alias = !seen_.insert(key).second;
    }
    if (via_alias && ++alias_nodes_ > limits_.max_alias_nodes)
      return refuse(user, "aliases expand to more than " + std::to_string(limits_.max_alias_nodes) + " nodes",
                    "max_alias_nodes");
    if (n.IsScalar() && n.Scalar().size() > limits_.max_string_bytes)
      return refuse(n, "a value of " + std::to_string(n.Scalar().size()) + " bytes; the limit is " +
                           std::to_string(limits_.max_string_bytes), "max_string_bytes");
    if (n.IsMap()) {
      for (auto it = n.begin(); it != n.end(); ++it)
        if (!visit(it->first, depth + 1, via_alias, via_alias ? user : n) ||
            !visit(it->second, depth + 1, via_alias, via_alias ? user : n))
          return false;
    } else if (n.IsSequence()) {
      for (const auto& item : n)
        if (!visit(item, depth + 1, via_alias, via_alias ? user : n)) return false;
    }
    return true;
  }

  const Limits& limits_;
  std::size_t nodes_ = 0, alias_nodes_ = 0;
  std::unordered_set<std::uint64_t> seen_;
  std::optional<LimitProblem> problem_;
};

}  // namespace

std::optional<LimitProblem> check_limits(const YAML::Node& root, const Limits& limits) {
  return LimitWalk(limits).run(root);
}

bool Reader::within_count(const YAML::Node& n, std::size_t limit, const char* what, const char* field) {
  if (!n || !(n.IsMap() || n.IsSequence()) || n.size() <= limit) return true;  // !n: absent
  error(n, Limits::refusal(std::to_string(n.size()) + " " + what + "; the limit is " + std::to_string(limit), field));
  return false;
}

}  // namespace redress::load
