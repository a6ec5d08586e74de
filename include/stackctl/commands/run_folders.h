#pragma once
/// The run folders of an env (`runs/<run-id>/`: each child's log and the run's plan files):
/// finding a layer's last log (`stackctl logs`) and keeping only the newest ones (`keep_runs`
/// after every run, `stackctl prune`).
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "stackctl/commands/run.h"
#include "stackctl/journal/journal.h"

namespace stackctl {

/// The run folders under runs_dir, oldest first: directories whose names are run ids
/// (`20261130T101500Z-3f9a`); other entries (`dry-run`, stray files, symbolic links) never count.
std::vector<std::string> run_folders(const std::filesystem::path& runs_dir);

/// Creates a folder a run writes plan files or logs into, 0700 whatever the umask (they can hold
/// secrets). Throws Error(Software) naming it when it cannot be made or restricted.
void make_private_folder(const std::filesystem::path& dir, const char* what);
/// make_private_folder for a run's log folder (`runs/<run-id>/` of the env's state folder):
/// `runs/` and the folder itself, inside the state folder, are never followed out of it as
/// symbolic links.
void make_log_folder(const std::filesystem::path& dir);

/// What the journal says of the run folders, for pruning.
struct RunCatalog {
  /// The runs pruning may remove: those that ended (run_end), except the run `resume` would
  /// continue and every folder a recorded `--plan-dir` or `--out-dir` names (its saved plans).
  /// A run in progress, one ended by a crash, and a folder the journal does not know are never
  /// among them.
  std::set<std::string> prunable;
  /// Position of each run's run_start in the journal: orders runs started in the same second
  /// (their ids then differ only in the random suffix).
  std::map<std::string, std::size_t> started;
};

/// Reads the catalog from the journal.
RunCatalog catalog_runs(const JournalContents& journal, const Workspace& ws);

/// The run folders of runs_dir, oldest first by start time, then journal order (folders the
/// journal does not know count as newest).
std::vector<std::string> runs_in_order(const std::filesystem::path& runs_dir,
                                       const RunCatalog& catalog);

/// The newest log of layer under runs_dir: `<run-id>/<layer>.<action>.log` of the newest run
/// folder that has one (of two in one run, a rebuild's destroy and apply, the one written last).
std::optional<std::filesystem::path> last_log(const std::filesystem::path& runs_dir,
                                              const RunCatalog& catalog, const std::string& layer);

/// What pruning removed and kept, oldest first.
struct PruneResult {
  std::vector<std::string> removed;  ///< run ids whose folders were deleted
  std::vector<std::string> kept;
  std::uintmax_t bytes_freed = 0;
  std::vector<std::string> errors;  ///< `cannot remove DIR: reason`
};

/// Deletes the folders of runs_dir older than the keep newest (by start time, then journal
/// order; folders the journal does not know count as newest), those in catalog.prunable only.
/// keep >= 1.
PruneResult prune_runs(const std::filesystem::path& runs_dir, std::size_t keep,
                       const RunCatalog& catalog);

/// The keep_runs of an env that does not set it.
inline constexpr std::size_t kDefaultKeepRuns = 50;

/// The env's keep_runs, else kDefaultKeepRuns.
std::size_t keep_runs_of(const EnvConfig& env);

/// End of a run (under the env lock, its run_end written): prunes to the env's keep_runs
/// (never run_id itself); a folder that cannot be removed is a warning, never a failure.
void prune_after_run(const Workspace& ws, const std::string& run_id);

/// `logs`: the last log of one layer on stdout (terminal_safe on a terminal), where it is on
/// stderr; a layer without a log says so (exit 0).
int show_logs(const Context& ctx, const std::string& env, const std::string& layer);

/// `prune`: under the env lock, removes the run folders older than the `keep` newest (0: the
/// env's keep_runs) that the catalog allows; prints what it removed.
int prune_command(const Context& ctx, const std::string& env, std::size_t keep);

}  // namespace stackctl
