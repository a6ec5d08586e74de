#pragma once
/// What every command is given: the global flags, where the project is, the console, and how
/// processes are started.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "stackctl/manifest/workspace.h"
#include "stackctl/report/report.h"
#include "stackctl/runner/runner.h"

namespace stackctl {

/// Options shared by every command (global flags), decided in main.
struct Context {
  Locations where;
  std::string terragrunt;  ///< --terragrunt PATH (empty: not given)
  Console console;
  std::vector<std::string> argv;  ///< stackctl's own argv, for the journal and lock
  bool stdin_is_terminal = false;
  /// Makes the process runner of a run; empty: the real one (make_process_runner). Tests put a
  /// fake here to run the whole command flow without starting processes.
  std::function<std::unique_ptr<ProcessRunner>(const ProcessRunnerOptions&)> make_runner;
};

/// The process runner of a command: ctx.make_runner's, or the real one.
std::unique_ptr<ProcessRunner> make_runner(const Context& ctx,
                                           const ProcessRunnerOptions& options = {});

/// The workspace of a command that acts on one env: opens the project at ctx.where and selects
/// env (throwing what Workspace::open and select_env throw), then prints the warnings of the
/// manifest and the env on stderr, one a line. Open it once per command, so they show once.
std::unique_ptr<Workspace> open_workspace(const Context& ctx, const std::string& env);

}  // namespace stackctl
