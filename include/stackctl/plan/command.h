#pragma once
/// The commands that run layers, and the one table of what each of them may do and how its
/// result is judged (docs/contract.md, Exit codes).
#include <optional>
#include <string>
#include <vector>

#include "stackctl/journal/lock.h"
#include "stackctl/runner/terragrunt.h"

namespace stackctl {

/// A command that runs layers. Plan to Drift are the run commands of RunRequest; Exec is named
/// by its own run_start in the journal and its --output json document.
enum class Command { Plan, Apply, Destroy, Rebuild, Resume, Drift, Exec };

/// When a run's changes make it exit 2 (ExitCode::Changes).
enum class ChangesExit {
  Never,                 ///< changes are what it made, not a result
  WithDetailedExitcode,  ///< only with --detailed-exitcode (plan)
  Always,                ///< finding changes is its result (drift)
};

/// What a command may do. Resume takes the traits of the command it resumes before anything asks.
struct CommandTraits {
  Command command;
  const char* name;  ///< the word of the CLI, the journal and the documents
  LockMode lock;     ///< how it holds the env lock
  /// It applies or destroys: it asks before it starts (or wants --yes), and a journaled run of
  /// it that did not end ok can be resumed.
  bool changes_infrastructure;
  /// It destroys: in a confirm: true env it wants the env's name (or --yes --confirm-env).
  bool destroys;
  /// It reports what its plans would change: the resource lists, summary.md, $GITHUB_STEP_SUMMARY.
  bool reports_plans;
  ChangesExit changes_exit;
  Action weighted_by;          ///< the action whose past durations weight its schedule
  std::vector<Action> phases;  ///< the actions of its phases, in order (a resume checks them)
  /// It skips layers that hold nothing, or is held back by what a disabled protected layer pins:
  /// it reads the real state where the journal alone could be wrong (plan/real_state.h).
  bool reads_real_state = false;
};

/// The traits of one command.
const CommandTraits& traits(Command c);

/// "plan", "apply", "destroy", "rebuild", "resume", "drift", "exec".
const char* to_string(Command c);

/// The command named by word (to_string's inverse); nullopt for any other word.
std::optional<Command> parse_command(const std::string& word);

/// Whether a run of command that exited with exit_code succeeded: exit 0, and exit 2 for a
/// command whose changes are a result (plan, drift).
bool run_succeeded(Command command, int exit_code);

/// The same for any subcommand by its word: one that is no Command (status, gates, ...)
/// succeeds with exit 0 only.
bool run_succeeded(const std::string& command, int exit_code);

}  // namespace stackctl
