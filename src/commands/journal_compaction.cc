// Compaction of the run journal: which runs stay (runs_to_keep), and replacing the journal
// without a moment where a record exists nowhere.
#include "stackctl/commands/journal_compaction.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <tuple>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "stackctl/commands/gates.h"
#include "stackctl/commands/run_folders.h"
#include "stackctl/plan/resume.h"
#include "stackctl/util/error.h"
#include "stackctl/util/state_file.h"

namespace stackctl {
namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

namespace {

bool one_of(const std::string& type, std::initializer_list<const char*> types) {
  for (const char* t : types)
    if (type == t) return true;
  return false;
}

/// The run that `r` belongs to, when it belongs to one.
const std::string* run_of(const JournalRecord& r) { return is_run_record(r) ? &r.run_id : nullptr; }

/// The last folder name of a recorded --plan-dir/--out-dir (as catalog_runs reads it).
std::string recorded_folder(const nlohmann::json& options, const char* key) {
  auto it = options.find(key);
  if (it == options.end() || !it->is_string() || it->get<std::string>().empty()) return "";
  fs::path dir = fs::path(it->get<std::string>()).lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();
  return dir.filename().string();
}

/// The gate class of runs_to_keep(): for each layer with a `confirm` record, after its last
/// confirmation, the first layer_end of every layer whose effect re-opens a gate.
void keep_gate_reopenings(const JournalContents& j, std::set<std::string>& keep) {
  std::map<std::string, std::size_t> last_confirm;  // gate name -> record index
  for (std::size_t i = 0; i < j.records.size(); ++i)
    if (j.records[i].type == "confirm") last_confirm[j.records[i].layer] = i;
  std::set<std::pair<std::string, std::string>> found;  // (gate, layer) with its first reopening
  for (std::size_t i = 0; i < j.records.size(); ++i) {
    const JournalRecord& r = j.records[i];
    if (r.type != "layer_end" || !run_of(r) ||
        reopening_effect(r.action, r.result, r.changes).empty())
      continue;
    for (const auto& [gate, at] : last_confirm)
      if (at < i && found.insert({gate, r.layer}).second) keep.insert(r.run_id);
  }
}

}  // namespace

bool is_run_record(const JournalRecord& r) {
  return !r.run_id.empty() &&
         one_of(r.type, {"run_start", "run_end", "layer_start", "layer_end", "layer_retry"});
}

// Compaction keeps whole runs (every record with a kept run id) and every line outside runs, in
// their order; so each reader sees a subsequence of the journal that holds every record its
// answer depends on. Records outside runs are always kept: the header, `confirm` and `withdraw`
// (gates, ci), unknown types, unreadable lines. Why each class of kept runs suffices:
//  1. The keep_runs newest runs (by first record): recent history for people and `logs`.
//  2. Per (layer, action, result), the run of the last layer_end. Every "last layer_end of a
//     layer among some (action, result) pairs" is the latest of these, so it is kept and stays
//     the last one: last_results (status, list), last_state_changes (saved plans),
//     last_state_record (skip-unchanged inputs and generations), applied_per_journal's applied
//     flag (its last apply-not-skipped or destroy ok/failed/interrupted), not_applied's
//     "managed" (an ok apply or destroy exists), duration_history's last kind.
//  3. Per (layer, action), the run of the last layer_start: applied_per_journal's "started and
//     never ended" depends only on the last apply/destroy layer_start of a layer and the
//     layer_ends of its run, which is kept whole.
//  4. Per (layer, action, changed or not), the runs of the last kDurationSamples ok layer_ends:
//     durations are medians of the last kDurationSamples ok runs of their kind, or of all
//     kinds (each of the last N of all is among the last N of its own kind).
//  5. The run of the last run_start (status' last run, with its run_end; with keep_runs >= 1
//     it is among the newest anyway) and of the last run_start whose command changes
//     infrastructure (resume: its run_end decides whether it ended ok, its layer_ends what is
//     left to do; plans and drifts since do not hide it).
//  6. Gates: a gate's state is its last `confirm`, then the first event after it that closes it:
//     a `withdraw` (kept) or a layer_end of a dependency with a re-opening effect (destroyed,
//     replaced, deleted). Kept: for each confirmed name and each layer, the first such layer_end
//     after the last confirm; the first over any set of dependencies is among them, whatever
//     the manifest says the dependencies are.
//  7. Run folders: the run of every folder that exists, and every run whose run_start names an
//     existing folder as --plan-dir/--out-dir: catalog_runs (prune, logs) then answers the same
//     for every folder there is. Folders of dropped runs are gone, pruned under keep_runs.
// Only the newest-runs class and the folders grow with keep_runs; the others are bounded by the
// number of layers, actions and gates, never by the number of runs.
std::set<std::string> runs_to_keep(const JournalContents& j, const CompactionPolicy& policy) {
  std::set<std::string> keep;
  std::vector<std::string> order;  // run ids by first record
  std::set<std::string> seen;
  std::map<std::tuple<std::string, std::string, std::string>, std::string> last_end;
  std::map<std::pair<std::string, std::string>, std::string> last_start;
  std::map<std::tuple<std::string, std::string, bool>, std::deque<std::string>> samples;
  const JournalRecord *last_run_start = nullptr, *last_infra_start = nullptr;
  for (const JournalRecord& r : j.records) {
    if (!run_of(r)) continue;
    if (seen.insert(r.run_id).second) order.push_back(r.run_id);
    if (r.type == "layer_end") last_end[{r.layer, r.action, r.result}] = r.run_id;
    if (r.type == "layer_start") last_start[{r.layer, r.action}] = r.run_id;
    if (r.type == "layer_end" && r.result == "ok") {
      auto& s = samples[{r.layer, r.action, changed_something(r)}];
      s.push_back(r.run_id);
      if (s.size() > kDurationSamples) s.pop_front();
    }
    if (r.type == "run_start") {
      last_run_start = &r;
      if (changes_infrastructure(r.raw.value("command", ""))) last_infra_start = &r;
      auto options = r.raw.find("options");
      if (options != r.raw.end() && options->is_object())
        for (const char* key : {"plan_dir", "out_dir"})
          if (policy.run_folders.count(recorded_folder(*options, key))) keep.insert(r.run_id);
    }
    if (policy.run_folders.count(r.run_id)) keep.insert(r.run_id);
  }
  const std::size_t newest = order.size() > policy.keep_runs ? order.size() - policy.keep_runs : 0;
  keep.insert(order.begin() + static_cast<std::ptrdiff_t>(newest), order.end());
  for (const auto& [key, id] : last_end) keep.insert(id);
  for (const auto& [key, id] : last_start) keep.insert(id);
  for (const auto& [key, ids] : samples) keep.insert(ids.begin(), ids.end());
  if (last_run_start) keep.insert(last_run_start->run_id);
  if (last_infra_start) keep.insert(last_infra_start->run_id);
  keep_gate_reopenings(j, keep);
  return keep;
}

namespace {

/// Why the first line does not let the journal be compacted; "" when it does.
std::string header_problem(const JournalContents& j, const std::vector<JournalLine>& lines) {
  if (lines.empty() || !lines[0].record) return "line 1 is not a journal header";
  const JournalRecord& h = j.records[*lines[0].record];
  if (h.type != "header" || h.raw.value("format", "") != "stackctl-journal")
    return "line 1 is not a stackctl-journal header";
  auto version = h.raw.find("version");
  if (version == h.raw.end() || !version->is_number() || version->get<double>() > kJournalVersion)
    return "its format version is not one this stackctl writes (" +
           std::to_string(kJournalVersion) + ")";
  return "";
}

}  // namespace

CompactedText compact_text(std::string_view text, const std::string& name,
                           const CompactionPolicy& policy, const std::string& now) {
  CompactedText out;
  std::vector<JournalLine> lines;
  const JournalContents j = parse_journal(text, name, &lines);
  if (std::string problem = header_problem(j, lines); !problem.empty()) {
    out.refused = true;
    out.warning = name + ": not compacted: " + problem + "; the journal is left as it is";
    return out;
  }
  const std::set<std::string> keep = runs_to_keep(j, policy);
  std::string body;
  std::set<std::string> kept, archived;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const JournalRecord* r = lines[i].record ? &j.records[*lines[i].record] : nullptr;
    const bool dropped = r && is_run_record(*r) && !keep.count(r->run_id);
    if (r && is_run_record(*r)) (dropped ? archived : kept).insert(r->run_id);
    std::string& to = dropped ? out.archived : body;
    to.append(lines[i].text);
    to.push_back('\n');
  }
  ordered_json header = ordered_json::parse(lines[0].text);
  header["compacted"] = {
      {"at", now}, {"kept_bytes", body.size()}, {"archived_runs", archived.size()}};
  out.kept = header.dump(-1, ' ', false, ordered_json::error_handler_t::replace) + "\n" + body;
  out.runs_kept = kept.size();
  out.runs_archived = archived.size();
  return out;
}

// ---- files -----------------------------------------------------------------------------------

namespace {

Error io_error(const std::string& what, const fs::path& file, int err) {
  return Error(ExitCode::Software, what + " " + file.string() + ": " + std::strerror(err));
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

void write_all(int fd, std::string_view text, const fs::path& file) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw io_error("cannot write", file, errno);
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void sync(int fd, const fs::path& file) {
  if (::fsync(fd) != 0 && errno != EINVAL) throw io_error("cannot write", file, errno);
}

std::string read_all(int fd, const fs::path& file) {
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) return text;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw io_error("cannot read journal", file, errno);
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

/// Opens a state file (no symbolic link, no FIFO) or throws an Error naming it.
int open_or_throw(const fs::path& file, int flags, mode_t mode, const char* what) {
  std::string refused;
  const int fd = open_state_file(file, flags, static_cast<int>(mode), refused);
  if (!refused.empty())
    throw Error(ExitCode::Software,
                std::string("cannot open ") + what + " " + file.string() + ": " + refused);
  if (fd < 0) throw io_error(std::string("cannot open ") + what, file, errno);
  return fd;
}

/// Appends the dropped lines to the archive and fsyncs it (a new archive: its folder too).
void append_to_archive(const fs::path& archive, const std::string& lines, mode_t mode) {
  const bool existed = fs::exists(fs::symlink_status(archive));
  Fd out{open_or_throw(archive, O_RDWR | O_APPEND | O_CREAT, mode, "journal archive")};
  struct stat st {};
  if (::fstat(out.fd, &st) != 0) throw io_error("cannot read", archive, errno);
  char last = '\n';
  // An archive left mid-line by a crash: the first archived line starts on a fresh one.
  if (st.st_size > 0 && ::pread(out.fd, &last, 1, st.st_size - 1) != 1)
    throw io_error("cannot read", archive, errno);
  write_all(out.fd, last == '\n' ? lines : "\n" + lines, archive);
  sync(out.fd, archive);
  if (!existed) {
    Fd dir{::open(archive.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (dir.fd >= 0) sync(dir.fd, archive.parent_path());
  }
}

/// Writes the new journal next to the old one and renames it into place, durably.
void replace_journal(const fs::path& journal, const std::string& text, mode_t mode) {
  const fs::path tmp = journal.string() + ".tmp";
  if (::unlink(tmp.c_str()) != 0 && errno != ENOENT) throw io_error("cannot remove", tmp, errno);
  {
    Fd out{open_or_throw(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600, "journal replacement")};
    if (::fchmod(out.fd, mode) != 0) throw io_error("cannot set the mode of", tmp, errno);
    write_all(out.fd, text, tmp);
    sync(out.fd, tmp);
  }
  if (::rename(tmp.c_str(), journal.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw io_error("cannot replace journal", journal, err);
  }
  Fd dir{::open(journal.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dir.fd < 0) throw io_error("cannot open", journal.parent_path(), errno);
  sync(dir.fd, journal.parent_path());
}

std::set<std::string> existing_run_folders(const Workspace& ws) {
  auto names = run_folders(ws.env_state_dir() / "runs");
  return {names.begin(), names.end()};
}

}  // namespace

fs::path archive_file(const fs::path& journal) {
  return journal.parent_path() / "journal.archive.jsonl";
}

CompactionResult compact_journal(const fs::path& journal, const CompactionPolicy& policy,
                                 bool when_dropping) {
  CompactionResult result;
  std::string refused;
  Fd in{open_state_file(journal, O_RDONLY, 0, refused)};
  if (!refused.empty())
    throw Error(ExitCode::Software, "cannot read journal " + journal.string() + ": " + refused);
  if (in.fd < 0 && errno == ENOENT) return result;
  if (in.fd < 0) throw io_error("cannot read journal", journal, errno);
  // Appends (a `confirm` takes no env lock) wait until the new journal is in place.
  while (::flock(in.fd, LOCK_EX) != 0 && errno == EINTR) {
  }
  struct stat st {};
  if (::fstat(in.fd, &st) != 0) throw io_error("cannot read journal", journal, errno);
  const std::string text = read_all(in.fd, journal);
  result.bytes_before = result.bytes_after = text.size();
  CompactedText c = compact_text(text, journal.string(), policy, now_iso8601());
  result.runs_kept = c.runs_kept;
  if (c.refused) {
    result.warnings.push_back(c.warning);
    return result;
  }
  if (c.runs_archived == 0 && when_dropping) return result;
  const mode_t mode = st.st_mode & 07777;
  if (!c.archived.empty()) append_to_archive(archive_file(journal), c.archived, mode);
  replace_journal(journal, c.kept, mode);
  result.compacted = true;
  result.runs_archived = c.runs_archived;
  result.bytes_after = c.kept.size();
  return result;
}

bool journal_needs_compaction(const fs::path& journal) {
  std::string refused;
  Fd in{open_state_file(journal, O_RDONLY, 0, refused)};
  struct stat st {};
  if (in.fd < 0 || ::fstat(in.fd, &st) != 0) return false;
  const auto size = static_cast<std::uintmax_t>(st.st_size);
  if (size <= kCompactMinBytes) return false;
  char head[4096];
  const ssize_t n = ::pread(in.fd, head, sizeof head, 0);
  const std::string_view text(head, n > 0 ? static_cast<std::size_t>(n) : 0);
  const std::size_t end = text.find('\n');
  if (end == std::string_view::npos) return true;
  const auto header = nlohmann::json::parse(text.substr(0, end), nullptr, false);
  std::uintmax_t kept = 0;
  if (header.is_object() && header.contains("compacted") && header["compacted"].is_object()) {
    const auto& k = header["compacted"].value("kept_bytes", nlohmann::json());
    if (k.is_number_unsigned()) kept = k.get<std::uintmax_t>();
  }
  return size > 2 * (kept + end + 1);
}

void compact_after_run(const Workspace& ws) {
  const fs::path journal = ws.journal_file();
  if (!journal_needs_compaction(journal)) return;  // the journal stays unread
  CompactionPolicy policy{keep_runs_of(ws.stack().env), existing_run_folders(ws)};
  // Even when no run can go, the header records the new size: the next runs do not try again.
  CompactionResult r = compact_journal(journal, policy, false);
  for (const auto& w : r.warnings) spdlog::warn("{}", w);
  if (r.runs_archived > 0)
    spdlog::info("journal: moved {} old runs to {}, kept {}", r.runs_archived,
                 archive_file(journal).string(), r.runs_kept);
}

CompactionResult compact_env_journal(const Workspace& ws, std::size_t keep) {
  CompactionPolicy policy{keep, existing_run_folders(ws)};
  return compact_journal(ws.journal_file(), policy, true);
}

}  // namespace stackctl
