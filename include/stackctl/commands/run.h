#pragma once
/// The commands that run layers (plan, apply, destroy, rebuild, resume): from options to an
/// exit code, with preview, confirmation, lock, journal, executor and report in between.
#include "stackctl/commands/context.h"
#include "stackctl/plan/request.h"

namespace stackctl {

/// Runs the request and returns the process exit code (docs/contract.md, Exit codes). Expected
/// failures before anything runs are thrown as Error; everything after the lock is reported and
/// mapped to a code.
int execute_run(const Context& ctx, const RunRequest& request);
/// The same on a workspace already opened for request.env (open_workspace).
int execute_run(const Context& ctx, const Workspace& ws, const RunRequest& request);

}  // namespace stackctl
