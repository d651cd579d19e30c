// Text pieces the summary's formats share (JSON, Markdown, text, HTML).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "redress/replay.hpp"

namespace redress::replay {

// Exact: "1234.50 EUR" (the minor digits when that loses nothing, else every digit).
std::string money_text(Decimal amount, const std::string& code);
// new - old, signed: "+12.00 EUR", "-3.50 EUR", "0.00 EUR".
std::string delta_text(const MoneyTotals& t, const std::string& code);
// "`expr`", or "`old` -> `new`" for a rule the new pack rewrote.
std::string rule_text(const RuleRef& r);
// Most cases first; ties in key order (stable).
std::vector<const RuleImpact*> rules_by_impact(const ReplaySummary& s);
std::string percent(std::uint64_t part, std::uint64_t whole);  // "1.23%"

}  // namespace redress::replay
