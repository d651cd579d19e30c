// Two Values equal by kind and value (a trace's `3` as an int and as a decimal differ): the
// comparison Decision's operator== uses for trace values, shared with replay's rule diffs.
#pragma once

#include "redress/value.hpp"

namespace redress::detail {

bool same_value(const Value& a, const Value& b);

}  // namespace redress::detail
