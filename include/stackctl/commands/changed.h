#pragma once
/// `--changed`: the layers a git change touches, and why each was chosen.
///
/// A layer counts as changed when, between the base commit and the working tree (uncommitted and
/// untracked files included):
///   - a file under its folder changed (the deepest layer folder owns a file);
///   - a file under `<project root>/modules/<module>/` changed, for a layer with `module:`;
///   - an `*.hcl` file of the env's tree outside every layer folder changed (`root.hcl`, shared
///     by every terragrunt layer of the env);
///   - its manifest entry differs from the one at the base (or is new);
///   - its env.yaml entries differ (enable/disable, protect), or env-wide settings every layer
///     uses differ (dir, env, require_env, terragrunt).
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "stackctl/commands/context.h"
#include "stackctl/manifest/env.h"
#include "stackctl/manifest/graph.h"
#include "stackctl/plan/request.h"
#include "stackctl/plan/selection.h"
#include "stackctl/runner/runner.h"

namespace stackctl {

/// What the user asked of --changed.
struct ChangedOptions {
  std::string base;              ///< --base REF; empty: merge base with the default branch
  bool with_dependents = false;  ///< --with-dependents

  /// The --base and --with-dependents of a selection.
  static ChangedOptions of(const SelectionOptions& sel) {
    return {sel.changed_base, sel.with_dependents};
  }
};

/// What git says changed, measured from one base commit.
struct GitChanges {
  std::filesystem::path toplevel;  ///< the repository's top folder (canonical)
  std::string base_label;          ///< how the base was chosen, e.g. "HEAD^ (1a2b3c4)"
  std::string base_commit;         ///< the full id compared with (the empty tree without commits)
  /// Changed, added, deleted and untracked files, relative to toplevel with '/', sorted, unique.
  std::vector<std::string> files;
  /// Content at the base of the inputs asked for (manifest, env.yaml), by path relative to
  /// toplevel; nullopt when the file did not exist there.
  std::map<std::string, std::optional<std::string>> old_files;
};

/// One layer chosen by --changed and the reasons, in the order found.
struct LayerChange {
  std::size_t layer = 0;
  std::vector<std::string> reasons;
};

/// The changed layers of the stack (any, enabled or not) in manifest order. Pure: reads only
/// changes. With with_dependents, every layer depending on a changed one is added.
std::vector<LayerChange> changed_layers(const Stack& stack, const Graph& g,
                                        const GitChanges& changes, bool with_dependents);

/// Asks git (through runner, no shell) what changed in the repository holding project_root
/// between the base and the working tree, and reads the base version of each file in inputs
/// (absolute paths) that changed. Throws Error(Usage) when project_root is not in a git
/// repository, git cannot be started, or base is not a commit.
GitChanges read_git_changes(ProcessRunner& runner, const std::filesystem::path& project_root,
                            const std::string& base,
                            const std::vector<std::filesystem::path>& inputs);

/// The result of --changed for one env: the git side and the layers it selects.
struct ChangeSet {
  GitChanges git;
  std::vector<LayerChange> layers;

  /// The names of the changed layers, for SelectionOptions::changed.
  std::vector<std::string> names(const Stack& stack) const;
  /// The reasons of layer i; empty when it did not change.
  const std::vector<std::string>* reasons(std::size_t i) const;
};

/// read_git_changes with a real process runner for the stack's manifest and env.yaml, then
/// changed_layers.
ChangeSet find_changes(const Stack& stack, const Graph& g, const ChangedOptions& options);

/// `changes since HEAD^ (1a2b3c4): 3 files, 2 changed layers` — the one-line account of a change
/// set, counting the layers the env enables.
std::string describe_change_set(const Stack& stack, const ChangeSet& changes);

/// What --changed found, and the workspace of the env opened for it, which the command reuses.
struct ChangedSelection {
  std::unique_ptr<Workspace> workspace;
  ChangeSet changes;
};

/// With sel.use_changed: opens the workspace of env (open_workspace), asks git and fills
/// sel.changed with the changed layers (with say, also tells on stderr what changed since when).
/// Without: nothing, and the command opens the workspace itself.
std::optional<ChangedSelection> resolve_changed(const Context& ctx, const std::string& env,
                                                SelectionOptions& sel, bool say = false);

/// execute_run after resolving --changed of req.selection (saying what changed on stderr unless
/// quiet); a Ctrl-C between two git calls, or after the last, stops the command too.
int execute_selected_run(const Context& ctx, const RunRequest& req);

/// `list --changed --why` as text: the account line, then per selected layer its reasons.
std::string why_table(const Stack& stack, const ChangeSet& changes,
                      const std::vector<std::size_t>& selected);

/// `list --changed --why --output json`: {"base", "commit", "files", "layers": [{"name",
/// "tier", "reasons"}]}.
nlohmann::json why_document(const Stack& stack, const ChangeSet& changes,
                            const std::vector<std::size_t>& selected);

/// What `list --changed --why` prints: the layers sel selects (as for an apply), as why_table,
/// or as why_document (indented, with a newline) for --output json.
std::string why_listing(const Stack& stack, const Graph& g, const ChangeSet& changes,
                        const SelectionOptions& sel, OutputFormat format);

}  // namespace stackctl
