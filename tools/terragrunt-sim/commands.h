#pragma once
/// The simulated terraform commands. Each returns the process exit code.
#include <string>

#include "context.h"
#include "plan.h"

namespace tgsim {

/// `init`: prints terraform's initialisation text.
int run_init(Context& ctx);
/// `validate`: reads dependencies (mocks allowed), prints success.
int run_validate(Context& ctx);
/// `plan` and `apply`: terragrunt's part of both (the prevent_destroy guard, prompt refusal,
/// dependency outputs, transient failures), then terraform's (tofu_plan or tofu_apply).
int run_plan_or_apply(Context& ctx);
/// `destroy`: plans the destruction, asks for approval, empties the state.
int run_destroy(Context& ctx);
/// `output` and `show`: terragrunt's part of both (dependency outputs), then terraform's
/// (tofu_output or tofu_show).
int run_output_or_show(Context& ctx);

// terragrunt's part of each command (above) ends by running terraform's part (below) in the
// tofu child.

/// `plan`: takes the lock, plans against the state, writes -out, prints the plan; 0, or 2 with
/// -detailed-exitcode.
int tofu_plan(Context& ctx);
/// `apply [PLANFILE]`: applies the saved plan (stale check), or plans, asks for approval and
/// applies.
int tofu_apply(Context& ctx);
/// Plans the destruction, asks for approval, applies it.
int tofu_destroy(Context& ctx);
/// `output [-json|-raw] [NAME]`: the state's outputs, raw on stdout.
int tofu_output(Context& ctx);
/// `show [-json] [PLANFILE]`: the saved plan or the state.
int tofu_show(Context& ctx);

/// Loads state and desired configuration and plans (replacing -replace and
/// TERRAGRUNT_SIM_REPLACE addresses). False with error when a file is unreadable.
bool compute_plan(const Context& ctx, bool destroy, State& state, Plan& plan, std::string& error);

/// A path given to terraform, relative to the module directory.
std::string module_path(const Context& ctx, const std::string& path);

}  // namespace tgsim
