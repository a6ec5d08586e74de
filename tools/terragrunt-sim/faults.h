#pragma once
/// Injected faults. Each comes from an environment variable, overridden key by key by the
/// module's `.terragrunt-sim/faults.json` (same keys), so a test can target one module.
///
///   TERRAGRUNT_SIM_FAIL=plan,apply    these commands fail (exit 1, terraform error); `*` = all
///   TERRAGRUNT_SIM_EXIT=2             exit with this code after the command ran
///   TERRAGRUNT_SIM_SLEEP=1.5          the working step takes this long (signals cut it short)
///   TERRAGRUNT_SIM_GRACE=0.5          after the first signal, the graceful stop takes this long
///   TERRAGRUNT_SIM_REPLACE=a.b,c.d    plan replaces these addresses
///   TERRAGRUNT_SIM_REFUSE=1           a terragrunt prompt is answered "no": exit 0, no change
///   TERRAGRUNT_SIM_TRANSIENT=1        a transient (retryable) error, exit 1
///   TERRAGRUNT_SIM_TRANSIENT_TIMES=N  the same for the first N calls of the command only
///
/// EXIT, SLEEP, GRACE, REFUSE and TRANSIENT also take `command:value` lists
/// (`plan:3,apply:0.5`); a bare value applies to every command.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tgsim {

/// The faults that apply to one command in one module.
struct Faults {
  bool fail = false;
  std::optional<int> exit_code;
  double sleep_s = 0;
  double grace_s = 0;
  std::vector<std::string> replace;
  bool refuse = false;
  bool transient = false;
  int transient_times = 0;  ///< the first N calls of the command in the module are transient errors
};

/// The faults for `command` in module_dir. False with error when faults.json or a value is bad.
bool load_faults(const std::filesystem::path& module_dir, const std::string& command, Faults& out,
                 std::string& error);

}  // namespace tgsim
