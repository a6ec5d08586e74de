#pragma once
/// Terraform's human-readable output for plans, applies, destroys and outputs.
#include <string>

#include "plan.h"

namespace tgsim {

/// What `terraform plan` prints: refresh lines, the change list, the "Plan:" or
/// "No changes." summary, output changes, and where the plan was saved (saved_to non-empty).
std::string render_plan(const Plan& plan, const std::string& saved_to);

/// The per-resource progress lines of an apply or destroy ("aws_vpc.this: Creating...").
std::string render_progress(const Plan& plan, const State& after);

/// `Apply complete! Resources: X added, Y changed, Z destroyed.` followed by the outputs.
std::string render_apply_complete(const Plan& plan, const State& after);

/// `Destroy complete! Resources: N destroyed.`
std::string render_destroy_complete(const Plan& plan);

/// `terraform output` (no -json): `name = value` lines.
std::string render_outputs(const State& state);

/// A terraform diagnostic box: `╷`, `│ Error: summary`, `│ ` + detail lines, `╵`.
std::string error_box(const std::string& summary, const std::string& detail);

/// A value as terraform shows it in text (strings quoted, others as JSON).
std::string show_value(const nlohmann::json& value);

}  // namespace tgsim
