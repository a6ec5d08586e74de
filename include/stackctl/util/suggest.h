#pragma once
/// "Did you mean" suggestions for names the user mistyped (layers, tiers, envs, commands).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stackctl {

/// Edit distance between a and b: insertions, deletions, substitutions and swaps of two
/// adjacent characters each cost 1 (optimal string alignment distance).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to word, compared case-insensitively, when it is close enough to be a
/// plausible typo (distance at most 1 + word length / 4, and at most 3); the first of equally
/// close candidates wins. nullopt when word is itself a candidate or nothing is close.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

/// ` (did you mean 'NAME'?)` for the closest candidate, or "" when there is none; made to be
/// appended to an "unknown ..." message.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace stackctl
