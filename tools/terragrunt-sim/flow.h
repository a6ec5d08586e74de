#pragma once
/// Steps every simulated command shares: the prevent_destroy guard, prompt refusal, dependency
/// outputs, transient and injected failures, the interruptible working step, approval prompts.
#include <functional>
#include <initializer_list>
#include <string>

#include "context.h"
#include "lock.h"
#include "state.h"

namespace tgsim {

/// Result of a step: go on, or stop with an exit code.
struct Step {
  bool proceed = true;
  int exit_code = 0;
  /// Go on with the next step.
  static Step next() { return {true, 0}; }
  /// End the command with this exit code.
  static Step stop(int code) { return {false, code}; }
};

/// Runs steps in order until one stops.
Step sequence(std::initializer_list<std::function<Step()>> steps);

/// Takes the state lock (unless -lock=false), waiting up to -lock-timeout. A held lock fails
/// like terraform: `Error acquiring the state lock`, exit 1.
Step take_lock(Context& ctx, StateLock& lock, const std::string& operation);

/// prevent_destroy = true refuses destroy, plan -destroy and apply -destroy before anything.
Step guard_prevent_destroy(const Context& ctx);

/// TERRAGRUNT_SIM_REFUSE: terragrunt asks a y/n question, gets "no", and exits 0.
Step refuse_prompt(const Context& ctx);

/// Reads dependency outputs as terragrunt does for ctx.inv.command (mock outputs where
/// mock_outputs_allowed_terraform_commands allows the command); WARNs when mocks are used.
Step read_dependencies(const Context& ctx);

/// TERRAGRUNT_SIM_TRANSIENT: a retryable network error, exit 1.
Step transient_error(const Context& ctx);

/// Logs `Running command: terraform ...`.
void log_running(const Context& ctx);

/// The working step: TERRAGRUNT_SIM_SLEEP, cut short by signals, then the injected failure.
/// Interrupts stop with exit 1 (the caller's lock is released, unless two signals arrived).
Step work(Context& ctx);

/// Checks for signals received so far (first: graceful stop after GRACE; second: at once).
Step checkpoint(Context& ctx);

/// Terraform's approval prompt (apply, destroy) unless -auto-approve: with -input=false or an
/// answer other than "yes" it prints `Apply cancelled.` / `Destroy cancelled.` and stops (1).
Step approve(const Context& ctx, bool destroying);

/// Loads the module's state; a terraform error `Failed to load state` when it cannot be read.
Step read_state(const Context& ctx, State& state);

/// Prints a terraform error box on stderr and terragrunt's failure line; returns Step::stop(1).
Step terraform_error(const Context& ctx, const std::string& summary, const std::string& detail);

/// Logs a terragrunt error (no terraform involved); returns Step::stop(1).
Step terragrunt_error(const Context& ctx, const std::string& message);

}  // namespace tgsim
