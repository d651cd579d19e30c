// "ORIGIN:N:COL: message" for a case on line N of a stream: a location inside the one-line
// case text (ORIGIN, line 1) becomes the stream's line; a playbook's location is kept as it
// is. Shared by JSON Lines evaluation and replay.
#pragma once

#include <cstdint>
#include <string>

#include "redress/location.hpp"

namespace redress::detail {

std::string line_error_text(std::uint64_t line_no, const std::string& origin, const SourceLocation& at,
                            const std::string& message);

}  // namespace redress::detail
