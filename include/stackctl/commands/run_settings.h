#pragma once
/// Settings of a run resolved from flags, environment variables, env.yaml and defaults
/// (precedence: flag > environment variable > env.yaml > default).
#include <chrono>
#include <functional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "stackctl/commands/run.h"
#include "stackctl/executor/executor.h"
#include "stackctl/runner/interrupts.h"

namespace stackctl {

struct RunSettings {
  TaskSettings task;
  ExecOptions exec;
  EnvVars process_env;
  std::chrono::milliseconds lock_wait{0};  ///< how long to wait for the env lock
  bool version_known = false;  ///< task.version was read already (`terragrunt --version` runs once)
};

/// Resolves parallelism, terragrunt binary, lock timeout, secrets, confirmed gates and
/// critical-path weights. Throws Error(Usage) for malformed values (naming the source).
RunSettings resolve_run_settings(const Context& ctx, const RunRequest& req, const Workspace& ws,
                                 Command command);

/// The terragrunt binary: --terragrunt > STACKCTL_TERRAGRUNT > env.yaml terragrunt.binary
/// (relative paths with a '/' resolve against the env folder) > `terragrunt` on PATH.
std::string resolve_terragrunt_binary(const std::string& flag, const EnvConfig& env);

/// The options a resumed run must reuse, as recorded in run_start.
nlohmann::json recorded_options(const RunRequest& req);
/// Copies recorded options into req (flags given to `resume` itself still win where set). The
/// recorded --allow-replace and --allow-destroy lists are never copied: they would let a journal
/// widen what may be destroyed.
void apply_recorded_options(const nlohmann::json& options, RunRequest& req);

/// The exit code a finished run maps to (docs/contract.md, Exit codes), most severe first.
int exit_code_of(const RunResult& run, const RunRequest& req, Command command);

/// Prints the end of a run: the summary (or the JSON document), pending gates, interrupt advice
/// and where the logs are.
void report_run(const Context& ctx, const Workspace& ws, Command command, const std::string& run_id,
                int code, const RunResult& result, const std::filesystem::path& log_dir);

/// What a run asks again once it holds the env lock (docs/contract.md, The preview and the lock).
struct LockedChecks {
  /// Called right after the lock is taken, before anything is journaled; throws Error(Refused)
  /// when what the preview showed no longer holds (the lock is released).
  std::function<void()> preview_holds;
  /// Asked by the executor before each layer's first child starts, or nullptr.
  StartGuard* guard = nullptr;
};

/// Runs phases under the env lock with the journal, then reports; returns the exit code. An
/// interrupt while waiting for the lock or before the first child throws Error(Interrupted);
/// after one, no child starts.
int run_with_lock(const Context& ctx, const RunRequest& req, const Workspace& ws, Command command,
                  const std::string& resumes, const std::vector<Phase>& phases,
                  RunSettings& settings, InterruptWatch& interrupts,
                  const LockedChecks& checks = {});

}  // namespace stackctl
