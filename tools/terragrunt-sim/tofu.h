#pragma once
/// The tofu child. As terragrunt runs tofu, terragrunt-sim runs terraform's part of plan, apply,
/// destroy, show and output in a child process (argv[0] `tofu`, the same process group), which
/// prints terraform's lines, holds the state lock and handles signals like terraform. The
/// parent waits for it and reacts to its own signals the way the emulated version does.
#include <string>

#include "context.h"

namespace tgsim {

/// The variable that carries the invocation to the child; set only in the child's environment.
inline constexpr const char* kTofuVariable = "TERRAGRUNT_SIM_TOFU";

/// Parent side: starts the child for ctx's command and waits for it, handling SIGINT/SIGTERM
/// per ctx.version.interrupt_policy() (timers multiplied by TERRAGRUNT_SIM_SIGNAL_SCALE).
/// Returns terragrunt's exit code: the child's, or 1 when it was killed or failed.
int run_in_tofu(Context& ctx);

/// Child side: rebuilds the context from payload (the value of kTofuVariable), runs terraform's
/// part of the command and returns its exit code (TERRAGRUNT_SIM_EXIT applied).
int tofu_main(const std::string& payload);

}  // namespace tgsim
