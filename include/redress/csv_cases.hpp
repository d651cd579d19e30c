// Cases as CSV rows under a header, one case a line (`redress replay`, and any table a CRM
// exports). The columns `playbook`, `state`, `event`, `entered_at`, `now` and `timezone` are
// the case's own fields; `case_id` and `id` name the row and are not facts; every other column
// is a fact, except `playbooks`, `states` and `triage`: a row is a single case, and a compound
// case (spec §4.1) is refused at its header column (JSON Lines writes one). An empty cell is a value not given (the fact's default applies). Cells are text,
// converted against the playbook's declaration when the case is evaluated ("200.00 EUR", "3",
// "true"), exactly as a JSON case's text is. Fields may be quoted ("a, b", "say ""hi"""); a
// quoted field may not span lines.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "redress/case.hpp"

namespace redress {

class CsvCases {
 public:
  // Reads the header line. Throws EvaluationError (at origin:1:COL) for an empty header, an
  // empty or repeated column name, a compound case's column, or a malformed quote.
  CsvCases(std::string_view header, std::string origin);

  // The case in one row (line_no numbers it in the file). Throws EvaluationError located at
  // origin:line_no:column for a malformed row, a row with more or fewer fields than the
  // header, or a time that is not ISO 8601 with a zone.
  Case read(std::string_view row, std::uint64_t line_no) const;

  const std::vector<std::string>& columns() const { return names_; }

 private:
  enum class Column : std::uint8_t { Fact, Playbook, State, Event, EnteredAt, Now, Timezone, Id };
  std::vector<std::string> names_;
  std::vector<Column> kinds_;
  std::string origin_;
};

}  // namespace redress
