#pragma once
// Shared pieces of the command-line front end: one setup function per subcommand.
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
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

/// A repeatable option whose values may also be given comma-separated (`--only a,b --only c`).
template <typename Values>
CLI::Option* add_list_option(CLI::App& cmd, const std::string& name, Values& values,
                             const std::string& description, const std::string& type) {
  return cmd.add_option(name, values, description)->delimiter(',')->type_name(type);
}

void add_selection_flags(CLI::App& cmd, SelectionOptions& sel);
/// --changed, --base and --with-dependents; called by add_selection_flags.
void add_changed_flags(CLI::App& cmd, SelectionOptions& sel);
void add_run_flags(CLI::App& cmd, RunRequest& req);
/// A subcommand that runs layers: run flags, and a callback that hands req to
/// execute_selected_run.
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
