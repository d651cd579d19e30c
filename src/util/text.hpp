// Small text helpers: "did you mean" suggestions and UTF-8 validation.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::util {

// Damerau-Levenshtein distance (optimal string alignment: insertions, deletions,
// substitutions and transpositions of adjacent bytes, each costing 1). Inputs longer than
// 64 bytes are compared on their first 64 bytes only, to bound the cost.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is plausibly a typo of it: distance at most
// max(1, len(word) / 3) and below len(word). The first candidate wins a tie; nullopt when
// none is close enough.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates, or code points past
// U+10FFFF).
bool valid_utf8(std::string_view text);

}  // namespace redress::util
