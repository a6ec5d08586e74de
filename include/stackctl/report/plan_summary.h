#pragma once
/// What a plan or drift run found per layer, and how it is shown: the Markdown summary
/// (summary.md, --summary-md, $GITHUB_STEP_SUMMARY) and the drift table.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "stackctl/executor/executor.h"
#include "stackctl/journal/plan_json.h"
#include "stackctl/manifest/workspace.h"
#include "stackctl/plan/command.h"
#include "stackctl/plan/saved_plans.h"

namespace stackctl {

/// One terragrunt layer of a plan report.
struct LayerPlan {
  std::string name;
  std::string protection;     ///< "data", "keep", "pinned" or "" (none)
  bool is_protected = false;  ///< data or keep
  std::string result;         ///< "ok" when planned; else why not ("failed", "not-run", ...)
  std::string message;        ///< why it failed, when it did
  std::string would_refuse;   ///< what apply of this plan would refuse (LayerResult::would_refuse)
  ChangeCounts counts;        ///< meaningful when result is "ok"
  std::vector<ResourceChange> changes;  ///< from the plan JSON (read only when there are changes)

  /// A planned destroy or replace in a data or keep layer (that apply would refuse unless
  /// each address is allowed).
  bool warns() const { return (is_protected && counts.destroy > 0) || !would_refuse.empty(); }
  bool planned() const { return result == "ok"; }
};

/// The plans of one run, terragrunt layers only, in manifest order.
struct PlanReport {
  Command command = Command::Plan;  ///< plan or drift
  std::string env;
  std::string run_id;
  std::vector<LayerPlan> layers;
};

/// Builds the report of a finished plan/drift run, each layer's resource list from its
/// LayerResult::resource_changes. Manual and command layers are left out: they have no plan.
PlanReport plan_report(const Workspace& ws, Command command, const std::string& run_id,
                       const RunResult& run);

/// summary.json of a plan run: each layer planned ok, with its upstream read from the journal.
SavedPlans saved_plans_of(const Workspace& ws, const PlanReport& report,
                          const std::string& created);

/// The Markdown summary: a heading with the env and the totals, a table with one row per
/// planned layer (+add ~change −destroy, replace, protection, ⚠ on a destroy in a protected
/// layer), the layers that could not be planned, and a <details> block per layer with changes
/// listing its resource addresses and actions (at most max_listed per layer).
std::string plan_markdown(const PlanReport& report, std::size_t max_listed = 200);

/// The drift result on stdout: a table of the drifted layers (LAYER, CHANGES as +a ~c -d), the
/// count line, and the layers that could not be checked.
std::string drift_table(const PlanReport& report);

/// Writes text to file, replacing it (append = false) or adding to its end. False with error
/// (`cannot write FILE: reason`) when it cannot.
bool write_text_file(const std::filesystem::path& file, const std::string& text, bool append,
                     std::string& error);

}  // namespace stackctl
