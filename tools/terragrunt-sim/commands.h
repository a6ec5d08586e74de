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
/// `plan`: plans against the state, writes -out, exits 0/2 with -detailed-exitcode.
int run_plan(Context& ctx);
/// `apply [PLANFILE]`: applies a saved plan (stale check) or plans and asks for approval.
int run_apply(Context& ctx);
/// `destroy`: plans the destruction, asks for approval, empties the state.
int run_destroy(Context& ctx);
/// `output [-json|-raw] [NAME]`: the state's outputs, raw on stdout.
int run_output(Context& ctx);
/// `show [-json] [PLANFILE]`: a saved plan or the state.
int run_show(Context& ctx);

// terragrunt's part of each command (above) ends by running terraform's part (below) in the
// tofu child.

/// Takes the lock, plans, writes -out, prints the plan; 0, or 2 with -detailed-exitcode.
int tofu_plan(Context& ctx);
/// Applies the saved plan, or plans and asks for approval and applies.
int tofu_apply(Context& ctx);
/// Plans the destruction, asks for approval, applies it.
int tofu_destroy(Context& ctx);
/// Prints the outputs.
int tofu_output(Context& ctx);
/// Prints the saved plan or the state.
int tofu_show(Context& ctx);

/// Loads state and desired configuration and plans (replacing -replace and
/// TERRAGRUNT_SIM_REPLACE addresses). False with error when a file is unreadable.
bool compute_plan(const Context& ctx, bool destroy, State& state, Plan& plan, std::string& error);

/// A path given to terraform, relative to the module directory.
std::string module_path(const Context& ctx, const std::string& path);

}  // namespace tgsim
