// A Case from JSON text (spec §6's case shape), the path CRMs and the CLI use: simdjson's On
// Demand API, reading each number's own text (never a double). Only json_case.cpp includes
// simdjson.
#pragma once

#include <optional>
#include <string_view>

#include "case/case_text.hpp"
#include "redress/case.hpp"
#include "redress/limits.hpp"

namespace redress::cases {

// Fills `c` from one JSON object {"playbook", "state", "entered_at", "event", "now", "facts"}.
// Strings are text, numbers exact decimals (Value::number; one that a Decimal cannot hold is an
// error naming the fact), true/false booleans, null null, a list of scalars a list of text.
// Invalid JSON (a trailing comma, an unclosed string, text that is not JSON) is an error whose
// message starts "invalid JSON"; a second case after the first is an error that counts them.
// Thread-safe: each thread reuses its own parser and buffer.
// `limits`: max_case_facts, max_string_bytes (one string or name) and max_yaml_depth (nesting);
// the size of the text is the caller's to check.
std::optional<CaseTextError> case_from_json(std::string_view text, Case& c, const LoadLimits& limits);

}  // namespace redress::cases
