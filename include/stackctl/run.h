#pragma once
/// The commands that run layers (plan, apply, destroy, rebuild, resume): from options to an
/// exit code, with preview, confirmation, lock, journal, executor and report in between.
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "stackctl/report.h"
#include "stackctl/runner.h"
#include "stackctl/selection.h"
#include "stackctl/workspace.h"

namespace stackctl {

/// Options shared by every command (global flags), decided in main.
struct Context {
  Locations where;
  std::string terragrunt;            ///< --terragrunt PATH (empty: not given)
  Console console;
  std::vector<std::string> argv;     ///< stackctl's own argv, for the journal and lock
  bool stdin_is_terminal = false;
  /// Makes the process runner of a run; empty: the real one (make_process_runner). Tests put a
  /// fake here to run the whole command flow without starting processes.
  std::function<std::unique_ptr<ProcessRunner>(const ProcessRunnerOptions&)> make_runner;
};

/// One run request. command is plan, apply, destroy, rebuild, resume or drift.
struct RunRequest {
  std::string command;
  std::string env;
  SelectionOptions selection;
  int parallelism = 0;               ///< 0: STACKCTL_PARALLELISM, env.yaml, then 4
  bool keep_going = false;
  bool dry_run = false;
  bool yes = false;
  std::string confirm_env;           ///< --confirm-env E (for confirm: true envs)
  std::string lock_timeout;          ///< --lock-timeout (env lock wait and terraform's)
  std::string layer_timeout;         ///< --layer-timeout (SIGINT, then SIGKILL, to a slow layer)
  std::string out_dir;               ///< plan --out-dir
  bool detailed_exitcode = false;    ///< plan --detailed-exitcode
  std::string plan_dir;              ///< apply --plan-dir
  bool skip_unchanged = false;       ///< apply --skip-unchanged (skip_unchanged.h)
  std::string summary_md;            ///< plan/drift --summary-md FILE
  std::set<std::string> allow_replace;
  std::set<std::string> allow_destroy;
};

/// Runs the request and returns the process exit code (CONTRACT §3). Expected failures before
/// anything runs are thrown as Error; everything after the lock is reported and mapped to a code.
int execute_run(const Context& ctx, const RunRequest& request);

}  // namespace stackctl
