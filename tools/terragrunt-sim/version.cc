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

// shell/run_shell_cmd.go and internal/os/exec/cmd.go of each release: a 30 s forwarding delay
// up to 0.67 (with a forced exit after 60 s, and at once on a second signal), 15 s from 0.68;
// exec.CommandContext killing tofu in 0.86.0-0.97.1; cmd.Cancel re-sending the signal at once in
// 0.97.2-0.99.1; from 0.99.2 the 15 s delay again plus WaitDelay's SIGKILL 30 s after the signal.
InterruptPolicy SimVersion::interrupt_policy() const {
  InterruptPolicy p;
  if (!at_least(0, 68)) {
    p.forward_after_s = 30;
    p.second_signal_exits = true;
    p.force_exit_after_s = 60;
  } else if (at_least(0, 86) && !at_least(0, 97, 2)) {
    p.action = InterruptPolicy::Action::KillAtOnce;
  } else if (at_least(0, 97, 2) && !at_least(0, 99, 2)) {
    p.action = InterruptPolicy::Action::ForwardAtOnce;
  } else if (at_least(0, 99, 2)) {
    p.kill_after_s = 30;
  }
  return p;
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
