// Small text helpers every stage shares: "did you mean" hints, list joining, UTF-8 checks.
#pragma once

#include <cstddef>
#include <cstdint>
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

// The hint for a message: " (did you mean 'days_late'?)" when `word` is plausibly a typo of a
// candidate (nearest()), "" otherwise.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
// The hint, or else the candidates themselves: " (states: offer, resolved)" for
// `intro` = "states:".
std::string did_you_mean_or_list(std::string_view word, const std::vector<std::string>& candidates,
                                 std::string_view intro);

// "1,234,567": a count for people to read.
std::string thousands(std::uint64_t n);

// The lines of `text`, split at '\n' (a last line without one counts too; "" has none), as
// views into it.
std::vector<std::string_view> split_lines(std::string_view text);

// "a, b, c".
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

// Offset of the first byte that is not well-formed UTF-8 (overlong forms, surrogates, code
// points past U+10FFFF and cut sequences are not), or npos when all of `text` is.
std::size_t invalid_utf8_at(std::string_view text);
inline bool valid_utf8(std::string_view text) { return invalid_utf8_at(text) == std::string_view::npos; }

// Removes a trailing multi-byte character, whole or cut, from text cut at a byte count, so that
// it never ends inside a UTF-8 sequence.
void trim_utf8_tail(std::string& s);

}  // namespace redress::util
