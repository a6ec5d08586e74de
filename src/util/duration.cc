// Parsing and printing durations.
#include "stackctl/util/duration.h"

#include <cmath>
#include <cstdio>

namespace stackctl {
namespace {

/// Longest duration accepted: about 31 years, far beyond any sensible timeout.
constexpr double kMaxMillis = 1e12;

/// Milliseconds per unit, or 0 for an unknown unit. Advances `i` past the unit.
double unit_millis(const std::string& s, std::size_t& i) {
  if (s.compare(i, 2, "ms") == 0) {
    i += 2;
    return 1;
  }
  if (i >= s.size()) return 0;
  const char unit = s[i++];
  if (unit == 's') return 1000;
  if (unit == 'm') return 60 * 1000;
  if (unit == 'h') return 3600 * 1000;
  return 0;
}

/// Reads `DIGITS[.DIGITS]` at `i`; nullopt when there is no digit where one is needed.
std::optional<double> read_number(const std::string& s, std::size_t& i) {
  const auto digits = [&](double& value, double& scale, bool fraction) {
    const std::size_t start = i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      const double digit = s[i] - '0';
      if (fraction) {
        scale /= 10;
        value += digit * scale;
      } else {
        value = value * 10 + digit;
      }
    }
    return i > start;
  };
  double value = 0, scale = 1;
  if (!digits(value, scale, false)) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits(value, scale, true)) return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(const std::string& s) {
  if (s == "0") return std::chrono::milliseconds(0);
  if (s.empty()) return std::nullopt;
  double total = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::optional<double> number = read_number(s, i);
    if (!number) return std::nullopt;
    const double per_unit = unit_millis(s, i);
    if (per_unit == 0) return std::nullopt;
    total += *number * per_unit;
    if (total > kMaxMillis) return std::nullopt;
  }
  return std::chrono::milliseconds(std::llround(total));
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  if (seconds > kMaxMillis) seconds = kMaxMillis;  // keeps llround in range
  char text[48];
  const double tenths = std::round(seconds * 10) / 10;
  if (tenths < 60) {
    std::snprintf(text, sizeof text, "%.1fs", tenths);
    return text;
  }
  const long long whole = std::llround(seconds);
  const long long h = whole / 3600, m = whole / 60 % 60, sec = whole % 60;
  if (h > 0) {
    std::snprintf(text, sizeof text, "%lldh%02lldm%02llds", h, m, sec);
  } else {
    std::snprintf(text, sizeof text, "%lldm%02llds", m, sec);
  }
  return text;
}

}  // namespace stackctl
