#include "stackctl/runner/redact.h"

#include <algorithm>
#include <cctype>

namespace stackctl {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool worth_redacting(const std::string& value) { return value.size() >= kMinSecretLength; }

}  // namespace

bool is_secret_name(std::string_view var) {
  const std::string name = upper(var);
  for (const char* marker : {"PASS", "SECRET", "TOKEN", "KEY"})
    if (name.find(marker) != std::string::npos) return true;
  return false;
}

std::vector<std::string> secret_values(const EnvVars& env,
                                       const std::vector<std::string>& extra_names) {
  std::vector<std::string> out;
  for (const auto& [name, value] : env) {
    const bool named = std::find(extra_names.begin(), extra_names.end(), name) != extra_names.end();
    if (!named && !is_secret_name(name)) continue;
    if (!worth_redacting(value)) continue;
    if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(value);
  }
  return out;
}

Redactor::Redactor(const std::vector<std::string>& secrets) {
  for (const auto& s : secrets)
    if (worth_redacting(s))
      for (std::string& form : secret_forms(s)) secrets_.push_back(std::move(form));
  // Longest first, so that at one position the longer of two overlapping secrets wins.
  std::sort(secrets_.begin(), secrets_.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  secrets_.erase(std::unique(secrets_.begin(), secrets_.end()), secrets_.end());
}

// One left-to-right pass. next[i] caches where secret i occurs next, so each secret is searched
// for again only once the output has moved past its cached position: the cost is about one
// find() per secret per line plus one per replacement.
std::string Redactor::apply(std::string_view text) const {
  if (secrets_.empty()) return std::string(text);
  constexpr auto npos = std::string_view::npos;
  std::vector<std::size_t> next(secrets_.size());
  for (std::size_t i = 0; i < secrets_.size(); ++i) next[i] = text.find(secrets_[i]);

  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  for (;;) {
    std::size_t best = npos, best_len = 0;
    for (std::size_t i = 0; i < secrets_.size(); ++i) {
      if (next[i] != npos && next[i] < pos) next[i] = text.find(secrets_[i], pos);
      if (next[i] < best) {  // strict: at a tie the earlier (longer) secret stays
        best = next[i];
        best_len = secrets_[i].size();
      }
    }
    if (best == npos) break;
    out.append(text.substr(pos, best - pos));
    out.append(kRedacted);
    pos = best + best_len;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace stackctl
