#pragma once
/// Reading `terraform show -json <planfile>`: change counts, the one "has changes" rule, and the
/// deletions the plan guard needs.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stackctl {

/// Counts as terraform's "Plan: I to import, X to add, Y to change, Z to destroy, F to forget."
/// computes them, plus moved addresses and changed outputs.
struct ChangeCounts {
  int add = 0, change = 0, destroy = 0;
  int replace = 0;  ///< resources replaced (each also counted in add, and in destroy or forget)
  int imports = 0;  ///< resources imported (change.importing set)
  int forgets = 0;  ///< resources removed from the state without being destroyed
  int moves = 0;    ///< resources whose address changes (previous_address != address)
  int outputs = 0;  ///< root outputs whose actions are not ["no-op"]
  int reads = 0;    ///< data sources (or resources) read during apply: their inputs are unknown
  /// The one "has changes" rule (docs/contract.md, Plan, show, apply), terraform's own for
  /// -detailed-exitcode: a resource action is not no-op (a read deferred to apply included), or a
  /// resource is imported or moved, or an output changes.
  bool any() const {
    return add + change + destroy + imports + forgets + moves + outputs + reads > 0;
  }
};

/// A managed resource the plan deletes or replaces (what the plan guard looks at).
struct Deletion {
  std::string address;
  std::string action;                ///< "delete" or "replace"
  std::vector<std::string> actions;  ///< change.actions as terraform wrote them
};

/// A managed resource (or root output) the plan changes.
struct ResourceChange {
  std::string address;  ///< outputs are `output.NAME`
  /// "create", "update", "delete", "replace", "forget", "import" (import only) or "move"
  /// (move only).
  std::string action;
  std::string previous_address;  ///< set when the resource moves
  bool importing = false;        ///< the resource is imported (with or without other changes)
};

struct PlanSummary {
  ChangeCounts counts;
  std::vector<Deletion> deletions;
  std::vector<ResourceChange> changes;  ///< every managed resource that changes, in plan order
  std::vector<ResourceChange> outputs;  ///< every root output that changes, in name order
  bool errored = false;
};

/// Parses plan JSON (format_version 1.x; missing resource_changes or output_changes = none).
/// nullopt with error set when the text is not a plan document.
std::optional<PlanSummary> parse_plan_json(std::string_view text, std::string& error);

/// N from terraform's last `Destroy complete! Resources: N destroyed.` line in a destroy's
/// output (whatever terragrunt puts before it on the line); nullopt when there is none.
std::optional<int> destroyed_count(std::string_view output);

/// `+1 ~0 -0`, then only the other counts that are not zero: `import 2`, `move 1`,
/// `forget 1`, `outputs 3` (minus is the character used for destroy).
std::string changes_text(const ChangeCounts& c, const char* minus = "-");

}  // namespace stackctl
