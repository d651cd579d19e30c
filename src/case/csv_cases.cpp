// CSV rows as Cases (include/redress/csv_cases.hpp): one line a row, RFC 4180 quoting within it.
#include "redress/csv_cases.hpp"

#include <algorithm>
#include <optional>

#include "redress/diagnostic.hpp"
#include "time/calendar.hpp"

namespace redress {

namespace {

struct Field {
  std::string text;
  std::uint32_t column = 0;  // 1-based byte column where the field starts
};

// Splits one line into fields; a problem as (column, message).
bool split_row(std::string_view row, std::vector<Field>& fields, std::uint32_t& bad_column, std::string& why) {
  fields.clear();
  std::size_t i = 0;
  for (;;) {
    Field f;
    f.column = static_cast<std::uint32_t>(i + 1);
    if (i < row.size() && row[i] == '"') {
      ++i;
      for (;;) {
        if (i >= row.size()) {
          bad_column = f.column;
          why = "a quoted field is not closed on its line (a case is one line)";
          return false;
        }
        if (row[i] == '"') {
          if (i + 1 < row.size() && row[i + 1] == '"') {
            f.text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        f.text += row[i++];
      }
      if (i < row.size() && row[i] != ',') {
        bad_column = static_cast<std::uint32_t>(i + 1);
        why = "expected ',' after a quoted field";
        return false;
      }
    } else {
      std::size_t end = row.find(',', i);
      if (end == std::string_view::npos) end = row.size();
      f.text.assign(row.substr(i, end - i));
      i = end;
    }
    fields.push_back(std::move(f));
    if (i >= row.size()) return true;
    ++i;  // the comma
  }
}

std::string trimmed(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

CsvCases::CsvCases(std::string_view header, std::string origin) : origin_(std::move(origin)) {
  if (header.compare(0, 3, "\xEF\xBB\xBF") == 0) header.remove_prefix(3);  // a spreadsheet's BOM
  FileId file = detail::intern_source_file(origin_);
  std::vector<Field> fields;
  std::uint32_t bad = 0;
  std::string why;
  if (header.find_first_not_of(" \t\r") == std::string_view::npos)
    throw EvaluationError("the CSV header is empty (the first line names the columns)", {file, 1, 1, 0});
  if (!split_row(header, fields, bad, why)) throw EvaluationError(why, {file, 1, bad, 0});
  for (const Field& f : fields) {
    std::string name = trimmed(f.text);
    if (name.empty()) throw EvaluationError("a column of the CSV header has no name", {file, 1, f.column, 0});
    if (std::find(names_.begin(), names_.end(), name) != names_.end())
      throw EvaluationError("column '" + name + "' appears twice in the CSV header", {file, 1, f.column, 0});
    // A row is one single case: a list of playbooks and a state for each do not fit in cells
    // without a second syntax inside them, and read as facts they would be silently ignored.
    if (name == "playbooks" || name == "states" || name == "triage")
      throw EvaluationError("column '" + name + "': a CSV row is a single case; a compound case (spec §4.1) is "
                            "written as JSON Lines, {\"playbooks\": [...], \"states\": {...}}",
                            {file, 1, f.column, 0});
    Column kind = name == "playbook"     ? Column::Playbook
                  : name == "state"      ? Column::State
                  : name == "event"      ? Column::Event
                  : name == "entered_at" ? Column::EnteredAt
                  : name == "now"        ? Column::Now
                  : name == "timezone"   ? Column::Timezone
                  : name == "case_id" || name == "id" ? Column::Id
                                                      : Column::Fact;
    names_.push_back(std::move(name));
    kinds_.push_back(kind);
  }
}

Case CsvCases::read(std::string_view row, std::uint64_t line_no) const {
  auto fail = [&](const std::string& message, std::uint32_t column) -> Case {
    throw EvaluationError(message, {detail::intern_source_file(origin_),
                                    static_cast<std::uint32_t>(std::min<std::uint64_t>(line_no, UINT32_MAX)), column, 0});
  };
  std::vector<Field> fields;
  std::uint32_t bad = 0;
  std::string why;
  if (!split_row(row, fields, bad, why)) return fail(why, bad);
  if (fields.size() != names_.size())
    return fail("the row has " + std::to_string(fields.size()) + " fields; the header has " +
                    std::to_string(names_.size()),
                1);
  Case c;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string& text = fields[i].text;
    if (text.empty()) continue;
    auto time = [&]() -> std::optional<Timestamp> {
      std::optional<Timestamp> t = Timestamp::parse(text);
      if (!t) fail("'" + names_[i] + "' is '" + text + "', not a time like 2026-11-23T10:00:00Z", fields[i].column);
      return t;
    };
    switch (kinds_[i]) {
      case Column::Fact: c.facts.emplace_back(names_[i], Value::string(std::move(text))); break;
      case Column::Playbook: c.playbook = std::move(text); break;
      case Column::State: c.state = std::move(text); break;
      case Column::Event: c.event = std::move(text); break;
      case Column::EnteredAt: c.entered_at = time(); break;
      case Column::Now: c.now = time(); break;
      case Column::Timezone:
        if (!detail::TimeZone::locate(text)) return fail("'timezone': " + detail::TimeZone::unknown(text), fields[i].column);
        c.timezone = std::move(text);
        break;
      case Column::Id: break;
    }
  }
  return c;
}

}  // namespace redress
