#pragma once
/// Reading `terraform show -json <planfile>`: change counts and the deletions the data guard needs.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stackctl {

/// Counts as terraform's "Plan: X to add, Y to change, Z to destroy." computes them.
struct ChangeCounts {
  int add = 0, change = 0, destroy = 0;
  int replace = 0;  ///< resources replaced (each also counted in add and destroy)
  bool any() const { return add + change + destroy > 0; }
};

/// A managed resource the plan deletes or replaces.
struct Deletion {
  std::string address;
  std::string action;  ///< "delete" or "replace"
};

/// A managed resource the plan changes.
struct ResourceChange {
  std::string address;
  std::string action;  ///< "create", "update", "delete" or "replace"
};

struct PlanSummary {
  ChangeCounts counts;
  std::vector<Deletion> deletions;
  std::vector<ResourceChange> changes;  ///< every managed resource that changes, in plan order
  bool errored = false;
};

/// Parses plan JSON (format_version 1.x; missing resource_changes = no changes).
/// nullopt with error set when the text is not a plan document.
std::optional<PlanSummary> parse_plan_json(std::string_view json, std::string& error);

}  // namespace stackctl
