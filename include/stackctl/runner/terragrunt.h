#pragma once
/// How terragrunt is called (docs/contract.md, How terragrunt is called): argv per action, dialect,
/// child environment.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackctl/manifest/manifest.h"

namespace stackctl {

enum class Action { Plan, Show, Apply, Destroy, Output, Command, Gate };
const char* to_string(Action a);

/// A terragrunt version as printed by `terragrunt --version`.
struct TerragruntVersion {
  int major = 0, minor = 0, patch = 0;
  /// The non-interactive variable of this dialect: TERRAGRUNT_NON_INTERACTIVE below 0.73,
  /// TG_NON_INTERACTIVE from 0.73 on.
  const char* non_interactive_var() const;
  /// Whether TF_INPUT=0 is set for it: only below 0.76, where it is terraform's alone; from 0.76
  /// on terragrunt reads TF_INPUT itself as a deprecated flag (a warning on every call, an
  /// error in strict mode), and -input=false says the same.
  bool wants_tf_input() const;
  bool at_least(int maj, int min) const { return major > maj || (major == maj && minor >= min); }
};

/// Parses `terragrunt version v0.72.3` (also tolerates a leading log prefix and trailing text).
std::optional<TerragruntVersion> parse_terragrunt_version(std::string_view output);

/// The argv of one terragrunt action. binary/args come from the flag, env var or env.yaml;
/// args are inserted after the binary. plan_file is absolute; a Show without one shows the state.
struct TerragruntCall {
  std::string binary = "terragrunt";
  std::vector<std::string> extra_args;
  std::string lock_timeout = "5m";
};
std::vector<std::string> terragrunt_argv(const TerragruntCall& call, Action action,
                                         const std::filesystem::path& plan_file = {});

/// The child environment: base (stackctl's own, filtered) + TF_IN_AUTOMATION=1, TF_INPUT=0
/// (below 0.76), the dialect's non-interactive variable, then env_vars (env.yaml) and layer_vars
/// (manifest).
EnvVars child_environment(const EnvVars& base, const TerragruntVersion& version,
                          const EnvVars& env_vars, const EnvVars& layer_vars);

/// Spares the `show` or `apply` that follows a plan of the same layer in the same apply the work
/// that plan already did: terragrunt's automatic `init` (the plan left the working dir
/// initialised) and, for `show` from terragrunt 1.1 on, the dependency outputs (terragrunt would
/// run `tofu output -json` in every dependency to build inputs that `show -json PLANFILE` never
/// reads; the plan file holds every value). `apply PLANFILE` keeps them: OpenTofu checks the
/// inputs against the plan's, and fails there on a dependency without outputs, as the show did
/// before. Not for `plan` or `drift`: their show failing on such a dependency is how a plan made
/// against mock outputs is found provisional. A variable already in env (the user's) is left as it
/// is.
void spare_planned_work(EnvVars& env, const TerragruntVersion& version, Action action);

/// From terragrunt 1.1 on, tells terragrunt not to run `tofu output -json` in every dependency
/// (TG_NO_DEPENDENCY_OUTPUTS, with its experiment) for a call that never reads the inputs: a
/// `show -json`. Older versions have no such flag. A variable already in env is left as it is.
void spare_dependency_outputs(EnvVars& env, const TerragruntVersion& version);

/// stackctl's own environment as ordered pairs.
EnvVars current_environment();

}  // namespace stackctl
