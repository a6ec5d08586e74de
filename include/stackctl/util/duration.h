#pragma once
/// Durations as users write them (`--lock-timeout 30s`) and as stackctl prints them (`3m05s`).
#include <chrono>
#include <optional>
#include <string>

namespace stackctl {

/// Parses `0`, `250ms`, `30s`, `5m`, `1h`, `1.5s` and sums such as `1m30s` (units ms, s, m, h;
/// each number needs a unit except a bare `0`). nullopt when malformed, negative or absurdly large.
std::optional<std::chrono::milliseconds> parse_duration(const std::string& s);

/// Formats seconds for people: tenths under a minute (`0.4s`, `45.2s`), then whole seconds
/// (`3m05s`, `1h02m03s`). Negative or non-finite values print as `0.0s`.
std::string format_duration(double seconds);

}  // namespace stackctl
