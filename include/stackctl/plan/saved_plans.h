#pragma once
/// Saved plans (`plan --out-dir DIR`, `apply --plan-dir DIR`): the summary.json that describes
/// them, the upstream fingerprints that tell when a plan has gone stale, and the apply phase
/// that uses them.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "stackctl/journal/journal.h"
#include "stackctl/manifest/workspace.h"
#include "stackctl/plan/phase.h"
#include "stackctl/plan/request.h"

namespace stackctl {

inline constexpr int kSavedPlansVersion = 1;
inline constexpr const char* kSavedPlansFile = "summary.json";
inline constexpr const char* kSavedPlansMarkdown = "summary.md";

/// The last successful state change (apply or destroy) of one dependency, from the journal.
struct UpstreamApply {
  std::string layer;
  std::string action;  ///< "apply" or "destroy"; empty when the journal has none
  std::string run_id;
  std::string time;
  bool operator==(const UpstreamApply& o) const {
    return layer == o.layer && action == o.action && run_id == o.run_id && time == o.time;
  }
};

/// What a layer's plan stands on: the last state change of each transitive dependency, and
/// one fingerprint of them all.
struct Upstream {
  std::vector<UpstreamApply> applies;  ///< manifest order
  std::string fingerprint;             ///< fingerprint(applies)
};

/// One layer of summary.json.
struct SavedLayer {
  std::string name;
  ChangeCounts counts;
  std::string protection;  ///< "data", "keep", "pinned" or "none"
  std::string plan_file;   ///< relative to the plan folder
  Upstream upstream;
};

/// summary.json: the plans of one `plan --out-dir` run.
struct SavedPlans {
  int version = kSavedPlansVersion;
  std::string env;
  std::string run_id;
  std::string created;             ///< ISO-8601 UTC
  std::vector<SavedLayer> layers;  ///< the layers planned ok, manifest order
  /// The layers the plan run planned without saving a plan (failed, provisional, interrupted,
  /// ...), manifest order: name and result. `apply --plan-dir` without a selection reports them.
  std::vector<std::pair<std::string, std::string>> not_saved;

  /// The layer called name, or nullptr.
  const SavedLayer* find(const std::string& name) const;
};

/// The last state change of every layer in the journal, by layer name: its last ok destroy, or
/// ok apply that changed something (an apply whose plan had no changes ran nothing).
std::map<std::string, JournalRecord> last_state_changes(const JournalContents& journal);

/// The upstream of a layer now: one entry per enabled transitive dependency, from last.
Upstream upstream_of(const Stack& stack, const Graph& graph, std::size_t layer,
                     const std::map<std::string, JournalRecord>& last);

/// A stable fingerprint of the applies: `fnv1a64:` and 16 hex digits.
std::string fingerprint(const std::vector<UpstreamApply>& applies);

/// Why a saved layer's plan may no longer be applied, e.g. `plan for sg-db is stale: vpc was
/// applied since (run R at T); plan again`; nullopt when its upstream is unchanged.
std::optional<std::string> stale_reason(const SavedLayer& saved, const Upstream& now);

/// The summary.json document.
nlohmann::json to_json(const SavedPlans& plans);
/// Reads summary.json text; nullopt with error set (`layers[2]: no name`) when it is not one.
std::optional<SavedPlans> parse_saved_plans(std::string_view text, std::string& error);

/// Loads DIR/summary.json. Throws Error(Usage) when the folder or the file is missing or the
/// file is not a summary.
SavedPlans load_saved_plans(const std::filesystem::path& dir);

/// The apply phase of `apply --plan-dir DIR`: the selected terragrunt layers (every saved one
/// without a selection). Throws Error(Refused) when DIR holds another env's plans or a plan
/// is stale (listing each), Error(Usage) when a selected terragrunt layer has no saved plan (or,
/// without a selection, the plan run left a layer unsaved), listing each, when a saved layer is
/// unknown or disabled, or a plan file is missing.
Phase saved_plan_phase(const Workspace& ws, const RunRequest& req);

/// The apply phase of a resumed `apply --plan-dir DIR` run, through the same start checks as
/// saved_plan_phase with the layers left of the run (`remaining`) as the selection: DIR holds
/// this env's plans, every saved layer is still enabled with its plan file, each remaining
/// terragrunt layer has a saved plan, and none is stale. Throws as saved_plan_phase does.
Phase resumed_saved_plan_phase(const Workspace& ws, const std::string& plan_dir,
                               const Phase& remaining);

/// The check TaskSettings::saved_plan_stale runs right before each saved plan of DIR is applied:
/// the layer's upstream as the journal shows it at that moment (this run's records included)
/// against the one its plan was made with. A layer DIR holds no plan for is refused. ws must
/// outlive the check.
std::function<std::optional<std::string>(std::size_t)> saved_plan_freshness(
    const Workspace& ws, const std::filesystem::path& dir);

}  // namespace stackctl
