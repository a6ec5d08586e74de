// Did-you-mean suggestions: a bounded edit distance over the known names.
#include "stackctl/util/suggest.h"

#include <algorithm>
#include <cctype>

namespace stackctl {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// The largest distance still read as a typo of a word of this length.
std::size_t max_typo_distance(std::size_t length) {
  return std::min<std::size_t>(3, 1 + length / 4);
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rolling rows of the optimal-string-alignment table: before_prev, prev, row.
  const std::size_t m = b.size();
  std::vector<std::size_t> before_prev(m + 1, 0), prev(m + 1), row(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        row[j] = std::min(row[j], before_prev[j - 2] + 1);
      }
    }
    before_prev.swap(prev);
    prev.swap(row);
  }
  return prev[m];
}

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  const std::string needle = lower(word);
  const std::size_t limit = max_typo_distance(needle.size());
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    if (candidate == word) return std::nullopt;
    // Lengths further apart than the limit cannot be within it; skip the table.
    std::size_t gap = candidate.size() > needle.size() ? candidate.size() - needle.size()
                                                       : needle.size() - candidate.size();
    if (gap >= best_distance) continue;
    std::size_t d = edit_distance(needle, lower(candidate));
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> match = closest_match(word, candidates);
  return match ? " (did you mean '" + *match + "'?)" : std::string();
}

}  // namespace stackctl
