#pragma once
/// From a run request to the phases it will run, with the safety rules applied up front.
#include <string>
#include <vector>

#include "stackctl/executor.h"
#include "stackctl/run.h"
#include "stackctl/workspace.h"

namespace stackctl {

/// The phases of a plan/apply/destroy/rebuild request. Throws Error(Usage) for bad selections
/// and Error(Refused) when a destroy would touch a protected or pinned layer (listing each).
std::vector<Phase> plan_phases(const Workspace& ws, const RunRequest& request);

/// The preview shown before anything runs: per phase, the layers and their actions, and for
/// destroying phases what is kept and why.
std::string describe_phases(const Workspace& ws, const std::string& command,
                            const std::vector<Phase>& phases);

}  // namespace stackctl
