#pragma once
/// The terragrunt version the simulator pretends to be, and what changed between versions.
#include <optional>
#include <string>
#include <string_view>

namespace tgsim {

/// A terragrunt version `vMAJOR.MINOR.PATCH`.
struct SimVersion {
  int major = 0, minor = 77, patch = 0;

  /// True when this version is at least major.minor.
  bool at_least(int want_major, int want_minor) const {
    return major != want_major ? major > want_major : minor >= want_minor;
  }
  /// `v0.77.0`.
  std::string to_string() const;

  /// TG_* variables, plain flags and `run` exist (v0.73).
  bool has_new_cli() const { return at_least(0, 73); }
  /// `plan-all`, `apply-all`, ... are gone (v0.84).
  bool legacy_all_removed() const { return at_least(0, 84); }
  /// `--terragrunt-*` flags are gone (v0.85).
  bool prefixed_flags_removed() const { return at_least(0, 85); }
  /// Unknown commands are no longer forwarded to terraform (v0.88).
  bool forwarding_removed() const { return at_least(0, 88); }
  /// `run-all` warns that it is deprecated (v0.74 up to v0.89).
  bool run_all_deprecated() const { return at_least(0, 74); }
  /// `run-all` is gone (v0.90).
  bool run_all_removed() const { return at_least(0, 90); }
};

/// Parses `0.77.0`, `v0.77.0` or `0.77`; nullopt when malformed.
std::optional<SimVersion> parse_sim_version(std::string_view text);

/// The version from TERRAGRUNT_SIM_VERSION (default 0.77.0); nullopt with error when malformed.
std::optional<SimVersion> version_from_environment(std::string& error);

}  // namespace tgsim
