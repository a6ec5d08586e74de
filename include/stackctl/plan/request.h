#pragma once
/// What the user asked a run to do: the command, the env, the selection and the run's flags.
#include <set>
#include <string>

#include "stackctl/plan/command.h"
#include "stackctl/plan/selection.h"

namespace stackctl {

/// One run request.
struct RunRequest {
  Command command = Command::Plan;  ///< plan, apply, destroy, rebuild, resume or drift
  std::string env;
  SelectionOptions selection;
  int parallelism = 0;  ///< 0: STACKCTL_PARALLELISM, env.yaml, then 4
  bool keep_going = false;
  bool dry_run = false;
  bool yes = false;
  std::string confirm_env;         ///< --confirm-env E (for confirm: true envs)
  std::string lock_timeout;        ///< --lock-timeout (env lock wait and terraform's)
  std::string layer_timeout;       ///< --layer-timeout (SIGINT, then SIGKILL, to a slow layer)
  std::string out_dir;             ///< plan --out-dir
  bool detailed_exitcode = false;  ///< plan --detailed-exitcode
  std::string plan_dir;            ///< apply --plan-dir
  bool skip_unchanged = false;     ///< apply --skip-unchanged (skip_unchanged.h)
  std::string summary_md;          ///< plan/drift --summary-md FILE
  std::set<std::string> allow_replace;
  std::set<std::string> allow_destroy;
};

/// A request for command with its defaults before any flag: a drift keeps going after a
/// failure (its plans only read, so one layer's failure is no reason to stop checking).
RunRequest run_request(Command command);

}  // namespace stackctl
