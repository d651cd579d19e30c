#include "load/reader.hpp"

#include <algorithm>
#include <cctype>
#include <set>

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
  return src_.location_of(offset(n));
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
  auto program = expr::compile(*text, map, scope, diags_);
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
bool walk(const YAML::Node& n, std::size_t depth, std::size_t& count, const Limits& limits) {
  if (++count > limits.max_nodes || depth > limits.max_depth) return false;
  if (n.IsMap()) {
    for (auto it = n.begin(); it != n.end(); ++it)
      if (!walk(it->first, depth + 1, count, limits) || !walk(it->second, depth + 1, count, limits))
        return false;
  } else if (n.IsSequence()) {
    for (const auto& item : n)
      if (!walk(item, depth + 1, count, limits)) return false;
  }
  return true;
}
}  // namespace

bool within_limits(const YAML::Node& root, const Limits& limits) {
  std::size_t count = 0;
  return walk(root, 0, count, limits);
}

}  // namespace redress::load
