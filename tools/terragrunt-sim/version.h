#pragma once
/// The terragrunt version the simulator pretends to be, and what changed between versions.
#include <optional>
#include <string>
#include <string_view>

namespace tgsim {

/// What terragrunt does with a SIGINT/SIGTERM of its own while tofu runs (tofu, in the same
/// process group, usually got the same signal directly).
struct InterruptPolicy {
  enum class Action {
    ForwardLater,   ///< re-send the signal to tofu after forward_after_s
    KillAtOnce,     ///< exec.CommandContext's default cancel: SIGKILL tofu within milliseconds
    ForwardAtOnce,  ///< re-send the signal to tofu at once
  };
  Action action = Action::ForwardLater;
  double forward_after_s = 15;
  double kill_after_s = 0;           ///< > 0: SIGKILL tofu this long after terragrunt's signal
  bool second_signal_exits = false;  ///< a second signal makes terragrunt exit 1 at once
  double force_exit_after_s = 0;     ///< > 0: terragrunt exits 1 this long after its signal
};

/// A terragrunt version `vMAJOR.MINOR.PATCH`.
struct SimVersion {
  int major = 0, minor = 77, patch = 0;

  /// True when this version is at least major.minor.
  bool at_least(int want_major, int want_minor) const {
    return major != want_major ? major > want_major : minor >= want_minor;
  }
  /// True when this version is at least major.minor.patch.
  bool at_least(int want_major, int want_minor, int want_patch) const {
    if (major != want_major || minor != want_minor) return at_least(want_major, want_minor);
    return patch >= want_patch;
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
  /// TF_INPUT is read as a deprecated alias of --non-interactive (v0.76).
  bool tf_input_deprecated() const { return at_least(0, 76); }
  /// Single-unit destroy looks for dependent units unless asked to (v0.96 makes it opt-in).
  bool checks_dependents_by_default() const { return !at_least(0, 96); }
  /// How this version reacts to its own SIGINT/SIGTERM while tofu runs.
  InterruptPolicy interrupt_policy() const;
};

/// Parses `0.77.0`, `v0.77.0` or `0.77`; nullopt when malformed.
std::optional<SimVersion> parse_sim_version(std::string_view text);

/// The version from TERRAGRUNT_SIM_VERSION (default 0.77.0); nullopt with error when malformed.
std::optional<SimVersion> version_from_environment(std::string& error);

}  // namespace tgsim
