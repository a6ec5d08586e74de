#pragma once
// Shared pieces of the command-line front end: one setup function per subcommand.
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "stackctl/commands/changed.h"
#include "stackctl/commands/run.h"

namespace stackctl::cli {

/// What main knows about the command being run, for error reporting.
struct Invocation {
  Context ctx;
  std::string command;
  std::string env;
  std::function<int()> action;  ///< set by the chosen subcommand's callback
};

void add_selection_flags(CLI::App& cmd, SelectionOptions& sel);
/// --changed, --base, --with-dependents (and --why on list); called by add_selection_flags.
void add_changed_flags(CLI::App& cmd, SelectionOptions& sel);
/// What --changed found, and the workspace of the env opened for it, which the command reuses.
struct ChangedSelection {
  std::unique_ptr<Workspace> workspace;
  ChangeSet changes;
};
/// With --changed given to cmd: opens the workspace of env (open_workspace), asks git and fills
/// sel.changed with the changed layers (with say, also tells on stderr what changed since when).
/// Without: nothing, and the command opens the workspace itself.
std::optional<ChangedSelection> resolve_changed(const CLI::App& cmd, const Context& ctx,
                                                const std::string& env, SelectionOptions& sel,
                                                bool say = false);
/// execute_run after resolving --changed (and saying what changed on stderr).
int run_selected(const CLI::App& cmd, const Context& ctx, const RunRequest& req);
/// `list`, or with --changed --why the reasons of each selected layer.
int list_command(const CLI::App& cmd, const Context& ctx, const std::string& env,
                 const SelectionOptions& sel);
/// `graph` after resolving --changed.
int graph_command(const CLI::App& cmd, const Context& ctx, const std::string& env,
                  const SelectionOptions& sel, const std::string& format);
void add_run_flags(CLI::App& cmd, RunRequest& req);
/// A subcommand that runs layers: run flags, and a callback that hands req to execute_run.
CLI::App* add_run_command(CLI::App& app, Invocation& inv, const std::shared_ptr<RunRequest>& req,
                          const std::string& description);

void setup_list(CLI::App& app, Invocation& inv);
void setup_graph(CLI::App& app, Invocation& inv);
void setup_validate(CLI::App& app, Invocation& inv);
void setup_plan(CLI::App& app, Invocation& inv);
void setup_apply(CLI::App& app, Invocation& inv);
void setup_destroy(CLI::App& app, Invocation& inv);
void setup_rebuild(CLI::App& app, Invocation& inv);
void setup_resume(CLI::App& app, Invocation& inv);
void setup_status(CLI::App& app, Invocation& inv);
void setup_output(CLI::App& app, Invocation& inv);
void setup_confirm(CLI::App& app, Invocation& inv);
void setup_unlock(CLI::App& app, Invocation& inv);
void setup_scaffold(CLI::App& app, Invocation& inv);
void setup_import(CLI::App& app, Invocation& inv);
void setup_ci(CLI::App& app, Invocation& inv);
void setup_completion(CLI::App& app, Invocation& inv);
void setup_drift(CLI::App& app, Invocation& inv);
void setup_gates(CLI::App& app, Invocation& inv);
void setup_logs(CLI::App& app, Invocation& inv);
void setup_prune(CLI::App& app, Invocation& inv);
void setup_exec(CLI::App& app, Invocation& inv);

}  // namespace stackctl::cli
