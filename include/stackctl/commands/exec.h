#pragma once
/// `stackctl exec`: one terragrunt command (`state list`, `init -upgrade`, `providers lock`)
/// over the selected terragrunt layers, in dependency order, under the env lock, journaled,
/// with progress and interrupts handled as in a run. It is never a way around protection:
/// commands that apply or destroy have their own guarded commands, and commands that change
/// a layer's state are refused on protected and pinned layers.
#include <optional>
#include <string>
#include <vector>

#include "stackctl/commands/run.h"

namespace stackctl {

/// What exec thinks of a terragrunt command line (flags before the command are skipped).
enum class ExecClass {
  ReadOnly,      ///< init, validate, plan, show, output, state list/show/pull, providers, ...
  ChangesState,  ///< anything else: state rm/mv/push, import, taint, force-unlock, refresh, ...
  Forbidden,     ///< apply, destroy, run-all/run/...-all: stackctl apply/destroy guard these
};

/// Classifies args; `what` gets the command as named in messages ("state rm", "apply").
ExecClass classify_exec(const std::vector<std::string>& args, std::string& what);

/// Runs `terragrunt <args>` in each selected terragrunt layer. Throws Error(Refused) before
/// anything starts for a Forbidden command, or a ChangesState one when a selected layer is
/// protected or pinned (naming each), Error(Usage) for an empty command line. With --changed,
/// git is asked first (resolve_changed, saying what changed on stderr).
int exec_command(const Context& ctx, const std::string& env, const SelectionOptions& selection,
                 const std::vector<std::string>& args, bool keep_going);
/// The same on a workspace already opened for the env (open_workspace).
int exec_command(const Context& ctx, const Workspace& ws, const SelectionOptions& selection,
                 const std::vector<std::string>& args, bool keep_going);

}  // namespace stackctl
