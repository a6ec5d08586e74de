#pragma once
/// Reading the machine-readable UI stream that OpenTofu 1.12+ writes with `plan -json-into=FILE`
/// (one JSON message per line) into the same PlanSummary parse_plan_json reads from
/// `show -json`, so an apply needs no separate show.
#include <optional>
#include <string>
#include <string_view>

#include "stackctl/journal/plan_json.h"

namespace stackctl {

/// Parses a plan's UI stream (docs/terragrunt.md, The plan's own stream). The summary equals
/// parse_plan_json's of the same plan, except that a replacement's Deletion::actions is empty:
/// the stream says "replace" without the order of its delete and create. nullopt with error set
/// when the stream cannot stand in for the show: a line that is not a JSON object, a last line
/// without its newline, no change_summary, a planned change it does not name ("noop": how
/// OpenTofu 1.12 streams a replace under `lifecycle { destroy = false }`), or changes that do
/// not add up to the change_summary's counts.
std::optional<PlanSummary> parse_plan_stream(std::string_view text, std::string& error);

}  // namespace stackctl
