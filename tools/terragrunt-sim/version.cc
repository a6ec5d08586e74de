#include "version.h"

#include <cstdlib>

namespace tgsim {
namespace {

/// Reads a decimal number at text[pos]; advances pos. nullopt when there is no digit.
std::optional<int> read_number(std::string_view text, std::size_t& pos) {
  std::size_t start = pos;
  long value = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 6) {
    value = value * 10 + (text[pos] - '0');
    ++pos;
  }
  if (pos == start) return std::nullopt;
  return static_cast<int>(value);
}

}  // namespace

std::string SimVersion::to_string() const {
  return "v" + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::optional<SimVersion> parse_sim_version(std::string_view text) {
  std::size_t pos = (!text.empty() && text[0] == 'v') ? 1 : 0;
  SimVersion v;
  auto major = read_number(text, pos);
  if (!major || pos >= text.size() || text[pos] != '.') return std::nullopt;
  ++pos;
  auto minor = read_number(text, pos);
  if (!minor) return std::nullopt;
  v.major = *major;
  v.minor = *minor;
  v.patch = 0;
  if (pos < text.size()) {
    if (text[pos] != '.') return std::nullopt;
    ++pos;
    auto patch = read_number(text, pos);
    if (!patch || pos != text.size()) return std::nullopt;
    v.patch = *patch;
  }
  return v;
}

std::optional<SimVersion> version_from_environment(std::string& error) {
  const char* raw = std::getenv("TERRAGRUNT_SIM_VERSION");
  if (raw == nullptr || *raw == '\0') return SimVersion{};
  auto v = parse_sim_version(raw);
  if (!v) error = std::string("invalid TERRAGRUNT_SIM_VERSION '") + raw + "': expected X.Y.Z";
  return v;
}

}  // namespace tgsim
