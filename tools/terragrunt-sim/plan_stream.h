#pragma once
/// The UI stream OpenTofu 1.12+ writes with `plan -json-into=FILE` (one JSON message per line),
/// as the real one writes it (docs/terragrunt.md, The plan's own stream).
#include <string>

#include "plan.h"

namespace tgsim {

/// The OpenTofu version the sim's tofu says it is (TERRAGRUNT_SIM_TOFU_VERSION, default 1.9.8).
std::string sim_tofu_version();

/// True when that version has `-json-into` (1.12 and later).
bool tofu_has_json_into();

/// The plan's stream: a version line, one planned_change per resource that changes (a replace
/// whose old object is forgotten is "noop", as OpenTofu 1.12.6 writes it), the change_summary,
/// and the outputs when the plan has any.
std::string plan_stream(const Plan& plan);

}  // namespace tgsim
