#pragma once
/// The simulated terraform commands. Each returns the process exit code.
#include <string>

#include "context.h"
#include "plan.h"

namespace tgsim {

int run_init(Context& ctx);
int run_validate(Context& ctx);
int run_plan(Context& ctx);
int run_apply(Context& ctx);
int run_destroy(Context& ctx);
int run_output(Context& ctx);
int run_show(Context& ctx);

/// Loads state and desired configuration and plans (replacing -replace and
/// TERRAGRUNT_SIM_REPLACE addresses). False with error when a file is unreadable.
bool compute_plan(const Context& ctx, bool destroy, State& state, Plan& plan, std::string& error);

/// A path given to terraform, relative to the module directory.
std::string module_path(const Context& ctx, const std::string& path);

}  // namespace tgsim
