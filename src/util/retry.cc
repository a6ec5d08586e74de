#include "stackctl/util/retry.h"

#include <algorithm>
#include <regex>

namespace stackctl {

const std::vector<std::string>& terragrunt_retryable_errors() {
  // gruntwork-io/terragrunt options/auto_retry_options.go, DEFAULT_RETRYABLE_ERRORS.
  static const std::vector<std::string> list = {
      "(?s).*Failed to load state.*tcp.*timeout.*",
      "(?s).*Failed to load backend.*TLS handshake timeout.*",
      "(?s).*Creating metric alarm failed.*request to update this alarm is in progress.*",
      "(?s).*Error installing provider.*TLS handshake timeout.*",
      "(?s).*Error configuring the backend.*TLS handshake timeout.*",
      "(?s).*Error installing provider.*tcp.*timeout.*",
      "(?s).*Error installing provider.*tcp.*connection reset by peer.*",
      "NoSuchBucket: The specified bucket does not exist",
      "(?s).*Error creating SSM parameter: TooManyUpdates:.*",
      "(?s).*app.terraform.io.*: 429 Too Many Requests.*",
      "(?s).*ssh_exchange_identification.*Connection closed by remote host.*",
      "(?s).*Client\\.Timeout exceeded while awaiting headers.*",
      "(?s).*Could not download module.*The requested URL returned error: 429.*",
  };
  return list;
}

namespace {

// Go's (?s) lets '.' match a newline; ECMAScript has no such flag, so each '.' outside a
// bracket expression becomes [\s\S]. Leading ".*" are dropped: a search finds the rest anywhere,
// and they would only cost backtracking.
std::string to_ecmascript(std::string pattern) {
  const bool dot_all = pattern.rfind("(?s)", 0) == 0;
  if (dot_all) pattern.erase(0, 4);
  while (pattern.rfind(".*", 0) == 0) pattern.erase(0, 2);
  if (!dot_all) return pattern;
  std::string out;
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out += pattern.substr(i++, 2);
    } else if (in_class) {
      in_class = c != ']';
      out += c;
    } else if (c == '[') {
      in_class = true;
      out += c;
    } else {
      out += c == '.' ? std::string("[\\s\\S]") : std::string(1, c);
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> pattern_problem(const std::string& pattern) {
  try {
    std::regex re(to_ecmascript(pattern));
  } catch (const std::regex_error& e) {
    return std::string("not a regular expression: ") + e.what();
  }
  return std::nullopt;
}

std::optional<std::string> transient_match(const std::vector<std::string>& patterns,
                                           const std::string& output) {
  const auto& list = patterns.empty() ? terragrunt_retryable_errors() : patterns;
  for (const auto& p : list) {
    try {
      if (std::regex_search(output, std::regex(to_ecmascript(p)))) return p;
    } catch (const std::regex_error&) {
      // checked when env.yaml was read; a pattern that fails here matches nothing
    }
  }
  return std::nullopt;
}

bool changed_nothing(const std::string& output) {
  // terraform and OpenTofu announce every resource action before they start it.
  static const char* const kStarted[] = {
      ": Creating...",    ": Destroying...",    ": Modifying...",  ": Importing...",
      ": Still creating", ": Still destroying", "Apply complete!", "Destroy complete!"};
  return std::none_of(std::begin(kStarted), std::end(kStarted),
                      [&](const char* s) { return output.find(s) != std::string::npos; });
}

}  // namespace stackctl
