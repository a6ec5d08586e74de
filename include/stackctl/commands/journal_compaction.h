#pragma once
/// Compaction of the run journal: the journal keeps what its readers need (the newest runs and
/// every older run holding a record that still decides a reader's answer); the other runs move,
/// line for line, to `journal.archive.jsonl` beside it. So a command's cost does not grow with
/// the env's history.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "stackctl/journal/journal.h"
#include "stackctl/manifest/workspace.h"

namespace stackctl {

/// A journal smaller than this is never compacted after a run (reading it costs little).
inline constexpr std::uintmax_t kCompactMinBytes = 256 * 1024;

/// What compaction keeps besides the lines outside runs.
struct CompactionPolicy {
  std::size_t keep_runs = 50;         ///< the newest runs kept whole (the env's keep_runs)
  std::set<std::string> run_folders;  ///< run folders (`runs/<run-id>/`) that exist now
};

/// True for the records that belong to a run and go with it: run_start, run_end, layer_start,
/// layer_end and layer_retry with a run id. Every other line (header, confirm, withdraw, a type
/// this version does not know, an unreadable line) stays in the journal.
bool is_run_record(const JournalRecord& r);

/// The run ids whose records compaction keeps (see the definition for why each class is kept).
std::set<std::string> runs_to_keep(const JournalContents& j, const CompactionPolicy& policy);

/// A journal's text split by compaction.
struct CompactedText {
  bool refused = false;  ///< the text is left as it is (`warning` says why)
  std::string warning;
  std::string kept;      ///< the new journal: its header (with `compacted`) and the kept lines
  std::string archived;  ///< the dropped lines, unchanged, in journal order
  std::size_t runs_kept = 0, runs_archived = 0;
};

/// Splits journal text (file `name`, for messages). The first line must be a stackctl-journal
/// header of a version this stackctl writes, else the text is refused. Lines keep their order;
/// each ends with a newline (a torn last line is kept, and ended). `now` goes in the header.
CompactedText compact_text(std::string_view text, const std::string& name,
                           const CompactionPolicy& policy, const std::string& now);

/// What compact_journal() did.
struct CompactionResult {
  bool compacted = false;  ///< the journal was replaced
  std::size_t runs_kept = 0, runs_archived = 0;
  std::uintmax_t bytes_before = 0, bytes_after = 0;
  std::vector<std::string> warnings;  ///< a journal left alone, and why
};

/// The archive beside a journal: `journal.archive.jsonl`.
std::filesystem::path archive_file(const std::filesystem::path& journal);

/// Compacts a journal file; the caller holds the env's exclusive lock. Holds an exclusive flock
/// on the journal meanwhile (appends wait; see JournalWriter). Order, so that a crash at any
/// point loses nothing: the dropped lines are appended to the archive and fsync'd; the new
/// journal is written to `journal.jsonl.tmp` (O_NOFOLLOW, created 0600, then the journal's own
/// mode) and fsync'd, renamed over the journal, and the folder fsync'd. A crash before the
/// rename leaves the old journal whole (its dropped runs may then be archived twice, which a
/// later compaction tolerates); a leftover tmp file is never read and is replaced by the next
/// compaction. `when_dropping`: leave the journal alone when no run would be archived. A missing
/// journal is no error. Throws Error on I/O failure (the journal is then unchanged).
CompactionResult compact_journal(const std::filesystem::path& journal,
                                 const CompactionPolicy& policy, bool when_dropping);

/// True when the journal is over kCompactMinBytes and twice the size its header says the last
/// compaction left (reads only the first line).
bool journal_needs_compaction(const std::filesystem::path& journal);

/// End of an apply, destroy, rebuild or resume (exclusive lock held, run_end written): compacts
/// the env's journal to its keep_runs when journal_needs_compaction(). Problems are warnings.
void compact_after_run(const Workspace& ws);

/// `prune`: compacts the env's journal at once, keeping the `keep` newest runs (lock held).
CompactionResult compact_env_journal(const Workspace& ws, std::size_t keep);

}  // namespace stackctl
