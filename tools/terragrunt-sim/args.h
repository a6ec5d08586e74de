#pragma once
/// The terragrunt command line in both dialects: `--terragrunt-*` flags, plain flags,
/// `run [--all] [--] cmd`, `run-all cmd`, legacy `plan-all`, and shortcut commands.
#include <optional>
#include <string>
#include <vector>

#include "version.h"

namespace tgsim {

/// What one terragrunt command line asks for.
struct Invocation {
  bool show_version = false;
  bool show_help = false;
  std::string command;                ///< the terraform command (plan, apply, ...); may be empty
  std::vector<std::string> tf_args;   ///< arguments for terraform, in order
  bool all = false;                   ///< run --all, run-all or a legacy *-all command
  bool non_interactive = false;       ///< --non-interactive / --terragrunt-non-interactive
  bool log_disable = false;           ///< --log-disable
  bool forward_stdout = false;        ///< --tf-forward-stdout
  bool strict = false;                ///< --strict-mode
  bool dependents_check = false;      ///< --destroy-dependencies-check (v0.96 on)
  bool no_dependents_check = false;   ///< --no-destroy-dependencies-check
  std::string working_dir;            ///< --working-dir, as given
  std::string config_file;            ///< --config, as given
  std::vector<std::string> warnings;  ///< terragrunt WARN lines caused by the arguments
};

/// Parses args (without the program name) as the given version would. A rejected command line
/// (a removed flag or command) gives nullopt and error = the terragrunt ERROR text.
std::optional<Invocation> parse_invocation(const std::vector<std::string>& args,
                                           const SimVersion& version, std::string& error);

/// Applies TG_* / TERRAGRUNT_* / TF_INPUT variables: non-interactive mode, log switches and the
/// deprecation warnings of TERRAGRUNT_* (v0.73 on; an error under strict mode).
bool apply_environment(Invocation& inv, const SimVersion& version, std::string& error);

}  // namespace tgsim
