#pragma once
/// Retries of known transient errors (env.yaml `retry:`, docs/reliability.md): which failed
/// output is transient, and which steps are safe to repeat.
#include <optional>
#include <string>
#include <vector>

namespace stackctl {

/// terragrunt's own list of retryable errors (its DEFAULT_RETRYABLE_ERRORS, the same in every
/// pinned version), used when env.yaml names no patterns.
const std::vector<std::string>& terragrunt_retryable_errors();

/// Why pattern is not a regular expression stackctl can use, or nullopt. Patterns are searched
/// for anywhere in the output, as terragrunt does; a leading `(?s)` (dot matches newline) is
/// understood, other Go-only syntax is not.
std::optional<std::string> pattern_problem(const std::string& pattern);

/// The first pattern found in output (the default list when patterns is empty), or nullopt.
std::optional<std::string> transient_match(const std::vector<std::string>& patterns,
                                           const std::string& output);

/// Whether a failed apply or destroy's output shows that terraform changed nothing yet: no
/// resource action started (`: Creating...`, `: Destroying...`, `: Modifying...`, ...). A step
/// that may have changed something is never repeated.
bool changed_nothing(const std::string& output);

}  // namespace stackctl
