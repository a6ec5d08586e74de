#pragma once
/// Resource-level changes as a user reads them in the terminal before typing yes: per layer, the
/// addresses and what happens to each, with terraform's own symbols.
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "stackctl/executor/executor.h"
#include "stackctl/journal/plan_json.h"
#include "stackctl/manifest/workspace.h"

namespace stackctl {

/// Shown per layer before the rest is cut to `... and N more`.
inline constexpr std::size_t kListedChanges = 30;

/// terraform's symbol for an action: `+` create, `~` update, `-` delete, `-/+` replace; the
/// action's own word where terraform prints none: `import`, `forget`, `move`.
std::string change_symbol(const std::string& action);

/// One line per change, `<indent><symbol padded to 6> ADDRESS`, plus ` (from OLD)` for a move
/// and ` (import)` for an import that also changes something; at most max_listed lines, then
/// `<indent>... and N more`. Addresses are terminal-safe (terminal_text.h).
std::string change_lines(const std::vector<ResourceChange>& changes, std::size_t max_listed,
                         const std::string& indent);

/// What `apply --plan-dir DIR` is about to apply, from the plan JSON `plan --out-dir` saved next
/// to each plan (DIR/<layer>.json): per layer with changes `  NAME: COUNTS` and its
/// change_lines() (resources, then outputs), a line for a layer whose plan JSON is missing or
/// unreadable, and one line naming the layers without changes. "" when the phase is empty.
std::string saved_plan_changes(const Workspace& ws, const Phase& phase,
                               const std::filesystem::path& dir,
                               std::size_t max_listed = kListedChanges);

/// What a finished `plan` found, per layer in manifest order: `  NAME: COUNTS` and the
/// change_lines() of each layer that was planned with changes (its
/// LayerResult::resource_changes). "" when no layer has changes.
std::string planned_changes(const Stack& stack, const std::vector<LayerResult>& results,
                            std::size_t max_listed = kListedChanges);

}  // namespace stackctl
