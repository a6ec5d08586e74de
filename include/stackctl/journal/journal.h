#pragma once
/// The append-only run journal (docs/contract.md, The state folder):
/// `.stackctl/<env>/journal.jsonl`.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "stackctl/journal/plan_json.h"

namespace stackctl {

inline constexpr int kJournalVersion = 1;

/// One record. type is "header", "run_start", "run_end", "layer_start", "layer_end", "confirm".
/// Unknown types from newer versions are kept in `raw` and otherwise ignored.
struct JournalRecord {
  std::string type;
  std::string run_id;
  std::string time;    ///< ISO-8601 UTC
  std::string layer;   ///< layer records, confirm
  std::string action;  ///< plan|apply|destroy|command|gate
  std::string result;  ///< ok|failed|interrupted|skipped|refused|pending (layer_end, run_end)
  int exit_code = 0;
  double duration_s = 0;
  ChangeCounts changes;
  nlohmann::json raw;  ///< the whole line as read (run_start carries command, argv, selection)
};

/// Appends records, one JSON line each, written whole before append() returns (so a killed
/// stackctl loses nothing). Run records (header, run_start, run_end, confirm, ...) are fsync'd
/// at once; layer_start/layer_end records at most once a second (the first of a burst at once,
/// the rest with the next fsync or when the writer closes), so quick layers do not each wait
/// for the disk. A machine crash can lose at most the layer records of the last second, which
/// a resumed run plans again. Each append holds a shared flock on the file; when compaction
/// (journal_compaction.h) has replaced the journal meanwhile, the writer reopens it first.
class JournalWriter {
 public:
  /// Opens (creating with a header line when new) the journal file. Throws Error on I/O failure.
  explicit JournalWriter(const std::filesystem::path& file);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;
  /// Appends one record; `raw` fields are merged into the line. Throws Error on I/O failure.
  void append(const JournalRecord& record);

 private:
  /// Takes the shared flock on the journal file, reopening it first if compaction replaced it.
  void lock_current();

  int fd_ = -1;
  std::filesystem::path file_;
  std::chrono::steady_clock::time_point synced_{};  ///< last fsync
  bool unsynced_ = false;                           ///< records written since then
};

/// Everything read from a journal. A torn or corrupt line is skipped with a warning.
struct JournalContents {
  std::vector<JournalRecord> records;
  std::vector<std::string> warnings;  ///< `FILE:LINE: skipped ...`
};

/// Reads the journal; a missing file gives no records and no warnings.
JournalContents read_journal(const std::filesystem::path& file);

/// One line of a journal's text, as read_journal() saw it (compaction copies lines unchanged).
struct JournalLine {
  std::string_view text;              ///< the line without its newline
  bool terminated = true;             ///< false only for a last line without a newline
  std::optional<std::size_t> record;  ///< its index in JournalContents::records, when it parsed
};

/// Parses journal text as read_journal() does (same records, same warnings, `name:LINE` in
/// them); with `lines`, also lists every line, unreadable and blank ones included, in order.
JournalContents parse_journal(std::string_view text, const std::string& name,
                              std::vector<JournalLine>* lines = nullptr);

/// Whether a layer_end's plan changed something (any change count, a replace included): a run
/// with changes differs in duration from one without, and an apply without any ran nothing.
bool changed_something(const JournalRecord& r);

/// The last layer_end per layer (any run), for list/status.
std::map<std::string, JournalRecord> last_results(const JournalContents& j);
/// Manual steps recorded with `confirm`.
std::map<std::string, JournalRecord> confirmations(const JournalContents& j);
/// How many of a layer action's latest successful runs its expected duration is taken from:
/// recent runs say more about the next one than a year of history, and compaction keeps them.
inline constexpr std::size_t kDurationSamples = 20;
/// The median of the last kDurationSamples of durations (oldest first); durations is not empty.
double recent_median(std::vector<double> durations);
/// Median duration per layer for an action, from its last kDurationSamples ok layer_end
/// records (critical-path weights).
std::map<std::string, double> median_durations(const JournalContents& j, const std::string& action);
/// The last run's run_start and its run_end (nullptr when it never ended), for status; both
/// nullptr when no run is recorded.
std::pair<const JournalRecord*, const JournalRecord*> last_run(const JournalContents& j);

/// A new run id: UTC time plus a short random suffix, e.g. 20261130T101500Z-3f9a.
std::string new_run_id();
/// Current UTC time as ISO-8601 with seconds.
std::string now_iso8601();

}  // namespace stackctl
