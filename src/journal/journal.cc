// The append-only run journal: each record is one JSON line, fsync'd at once or within a second;
// the reader forgives damage.
#include "stackctl/journal/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <string_view>
#include <system_error>

#include "stackctl/journal/changes_json.h"
#include "stackctl/util/error.h"
#include "stackctl/util/state_file.h"

namespace stackctl {
namespace fs = std::filesystem;
using nlohmann::json;
using ordered_json = nlohmann::ordered_json;

namespace {

/// Fields JournalRecord holds itself; every other field of `raw` is carried along as is.
bool is_known_field(const std::string& key) {
  static const char* const kKnown[] = {"type",   "run_id",    "time",       "layer",  "action",
                                       "result", "exit_code", "duration_s", "changes"};
  return std::any_of(std::begin(kKnown), std::end(kKnown),
                     [&](const char* known) { return key == known; });
}

Error io_error(const std::string& what, const fs::path& file, int err) {
  return Error(ExitCode::Software, what + " " + file.string() + ": " + std::strerror(err));
}

// ---- writing ---------------------------------------------------------------------------------

bool is_end_record(const std::string& type) { return type == "layer_end" || type == "run_end"; }

void put_if_set(ordered_json& line, const char* key, const std::string& value) {
  if (!value.empty()) line[key] = value;
}

/// Durations are kept to the millisecond; NaN or infinity (never expected) become 0.
double journal_seconds(double seconds) {
  return std::isfinite(seconds) ? std::round(seconds * 1000) / 1000 : 0.0;
}

/// The record as one line: known fields first (empty ones left out), then raw's other fields.
std::string serialise(const JournalRecord& r) {
  ordered_json line;
  line["type"] = r.type;
  put_if_set(line, "run_id", r.run_id);
  put_if_set(line, "time", r.time);
  put_if_set(line, "layer", r.layer);
  put_if_set(line, "action", r.action);
  put_if_set(line, "result", r.result);
  const bool end = is_end_record(r.type);
  if (end || r.exit_code != 0) line["exit_code"] = r.exit_code;
  if (end || r.duration_s != 0) line["duration_s"] = journal_seconds(r.duration_s);
  if (r.type == "layer_end" || r.changes.any() || r.changes.replace != 0) {
    line["changes"] = changes_json(r.changes);
  }
  if (r.raw.is_object()) {
    for (const auto& [key, value] : r.raw.items()) {
      if (!is_known_field(key)) line[key] = value;
    }
  }
  return line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string header_line() {
  const ordered_json header = {{"type", "header"},
                               {"format", "stackctl-journal"},
                               {"version", kJournalVersion},
                               {"created", now_iso8601()}};
  return header.dump() + "\n";
}

/// Size of the open file. Throws Error on failure.
off_t file_size(int fd, const fs::path& file) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw io_error("cannot read journal", file, errno);
  return st.st_size;
}

/// True when the file is non-empty and its last byte is not a newline (a torn last line).
bool ends_mid_line(int fd, const fs::path& file) {
  const off_t size = file_size(fd, file);
  if (size == 0) return false;
  char last = '\n';
  if (::pread(fd, &last, 1, size - 1) != 1) throw io_error("cannot read journal", file, errno);
  return last != '\n';
}

/// Writes `text` (normally in one write() call). Throws Error on failure.
void write_all(int fd, const std::string& text, const fs::path& file) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw io_error("cannot write journal", file, errno);
    done += static_cast<std::size_t>(n);
  }
}

/// Flushes the file to the disk. Throws Error on failure.
void sync(int fd, const fs::path& file) {
  // EINVAL: the file does not support syncing (a pipe, /dev/null); nothing more can be done.
  if (::fsync(fd) != 0 && errno != EINVAL) throw io_error("cannot write journal", file, errno);
}

/// Writes `text` and fsyncs it. Throws Error on failure.
void write_durably(int fd, const std::string& text, const fs::path& file) {
  write_all(fd, text, file);
  sync(fd, file);
}

/// How often layer records are fsync'd at most: one disk flush (milliseconds on many disks)
/// per layer would dominate the run time of quick layers.
constexpr std::chrono::seconds kLayerSyncEvery{1};

}  // namespace

JournalWriter::JournalWriter(const fs::path& file) : file_(file) {
  std::error_code ec;
  if (file.has_parent_path()) fs::create_directories(file.parent_path(), ec);
  if (ec) {
    throw Error(ExitCode::Software, "cannot create journal folder " + file.parent_path().string() +
                                        ": " + ec.message());
  }
  std::string refused;
  fd_ = open_state_file(file, O_RDWR | O_APPEND | O_CREAT, 0644, refused);
  if (!refused.empty())
    throw Error(ExitCode::Software, "cannot open journal " + file.string() + ": " + refused);
  if (fd_ < 0) throw io_error("cannot open journal", file_, errno);
  try {
    if (file_size(fd_, file_) == 0) write_durably(fd_, header_line(), file_);
  } catch (...) {
    ::close(fd_);
    fd_ = -1;
    throw;
  }
}

JournalWriter::~JournalWriter() {
  if (fd_ < 0) return;
  if (unsynced_) ::fsync(fd_);  // best effort: a destructor cannot report the error
  ::close(fd_);
}

namespace {

/// True when `fd` is still the file at `file`: compaction replaces the journal with a new file.
bool still_the_journal(int fd, const fs::path& file) {
  struct stat open_st {
  }, path_st{};
  if (::fstat(fd, &open_st) != 0 || ::lstat(file.c_str(), &path_st) != 0) return true;
  return open_st.st_dev == path_st.st_dev && open_st.st_ino == path_st.st_ino;
}

void lock_file(int fd, int how) {
  // Best effort: where flock is not supported, appends go on unlocked, as before compaction.
  while (::flock(fd, how) != 0 && errno == EINTR) {
  }
}

}  // namespace

// Appends hold a shared flock on the journal, compaction an exclusive one while it reads the
// journal and renames its replacement into place. An append that finds its file replaced
// (renamed over while it waited) reopens the journal and appends to the new one, so a record
// written during a compaction (a `confirm` takes no env lock) lands in the file that stays.
void JournalWriter::lock_current() {
  for (;;) {
    lock_file(fd_, LOCK_SH);
    if (still_the_journal(fd_, file_)) return;
    lock_file(fd_, LOCK_UN);
    std::string refused;
    const int fd = open_state_file(file_, O_RDWR | O_APPEND | O_CREAT, 0644, refused);
    if (!refused.empty())
      throw Error(ExitCode::Software, "cannot open journal " + file_.string() + ": " + refused);
    if (fd < 0) throw io_error("cannot open journal", file_, errno);
    if (unsynced_) ::fsync(fd_);
    ::close(fd_);
    fd_ = fd;
    unsynced_ = false;
  }
}

void JournalWriter::append(const JournalRecord& record) {
  std::string text = serialise(record);
  lock_current();
  struct Unlock {
    int fd;
    ~Unlock() { lock_file(fd, LOCK_UN); }
  } unlock{fd_};
  // After a crash mid-write the file ends inside a line; start this record on a fresh one.
  if (ends_mid_line(fd_, file_)) text.insert(0, "\n");
  write_all(fd_, text, file_);
  const auto now = std::chrono::steady_clock::now();
  const bool layer_record = record.type == "layer_start" || record.type == "layer_end";
  if (layer_record && now - synced_ < kLayerSyncEvery) {
    unsynced_ = true;
    return;
  }
  sync(fd_, file_);
  synced_ = now;
  unsynced_ = false;
}

// ---- reading ---------------------------------------------------------------------------------

namespace {

std::string string_field(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double number_field(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return 0;
  const double value = it->get<double>();
  return std::isfinite(value) ? value : 0;
}

/// An integer field clamped to int; fractions are truncated, non-numbers read as 0.
int int_field(const json& j, const char* key) {
  const double value = number_field(j, key);
  return static_cast<int>(std::clamp(value, double{INT_MIN}, double{INT_MAX}));
}

ChangeCounts changes_field(const json& j) {
  const auto it = j.find("changes");
  return it == j.end() ? ChangeCounts{} : changes_from_json(*it);
}

JournalRecord to_record(json line) {
  JournalRecord r;
  r.type = string_field(line, "type");
  r.run_id = string_field(line, "run_id");
  r.time = string_field(line, "time");
  r.layer = string_field(line, "layer");
  r.action = string_field(line, "action");
  r.result = string_field(line, "result");
  r.exit_code = int_field(line, "exit_code");
  r.duration_s = number_field(line, "duration_s");
  r.changes = changes_field(line);
  r.raw = std::move(line);
  return r;
}

/// Warns about a header this version may not fully understand; its records are read anyway.
void check_header(const json& header, const std::string& where,
                  std::vector<std::string>& warnings) {
  if (string_field(header, "format") != "stackctl-journal") {
    warnings.push_back(where + ": header does not name the stackctl-journal format");
  }
  const auto version = header.find("version");
  if (version != header.end() && version->is_number() && version->get<double>() > kJournalVersion) {
    warnings.push_back(where + ": journal format version " + version->dump() +
                       " is newer than this stackctl understands (" +
                       std::to_string(kJournalVersion) + "); reading the records it knows");
  }
}

/// Drops the run_start fields that have the wrong shape (a damaged or hand-edited journal) with
/// a warning, so that readers can rely on them: command a string, options an object, phases a
/// list of objects whose action is a string and whose layers are a list.
void check_run_start(json& raw, const std::string& where, std::vector<std::string>& warnings) {
  auto keep = [&](json& object, const char* key, bool ok, const char* shape) {
    if (ok) return;
    warnings.push_back(where + ": ignored run_start field '" + key + "' (not " + shape + ")");
    object.erase(key);
  };
  if (auto it = raw.find("command"); it != raw.end())
    keep(raw, "command", it->is_string(), "a string");
  if (auto it = raw.find("options"); it != raw.end())
    keep(raw, "options", it->is_object(), "an object");
  auto phases = raw.find("phases");
  if (phases == raw.end()) return;
  bool ok = phases->is_array();
  for (const json& p : ok ? *phases : json::array()) {
    ok = ok && p.is_object() && p.contains("action") && p["action"].is_string() &&
         p.contains("layers") && p["layers"].is_array();
  }
  keep(raw, "phases", ok, "a list of {action, layers}");
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

/// Parses one line into `out`. `terminated` is false only for a last line without a newline.
void read_line(std::string_view line, bool terminated, const std::string& where,
               JournalContents& out) {
  if (is_blank(line)) return;
  json parsed = json::parse(line.begin(), line.end(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    out.warnings.push_back(
        where + (terminated ? ": skipped unreadable journal line" : ": skipped torn last line"));
    return;
  }
  JournalRecord record = to_record(std::move(parsed));
  if (record.type == "header") check_header(record.raw, where, out.warnings);
  if (record.type == "run_start") check_run_start(record.raw, where, out.warnings);
  out.records.push_back(std::move(record));
}

/// The whole file in `text`. False when it is missing (silently) or unreadable (with a warning).
bool read_whole_file(const fs::path& file, std::string& text, std::vector<std::string>& warnings) {
  // Only a regular file has an end, and a FIFO would be waited on: anything else (a symbolic
  // link too, which could lead anywhere) is refused, and the command with it: without its
  // journal it would not know what exists.
  std::string refused;
  const int fd = open_state_file(file, O_RDONLY, 0, refused);
  if (!refused.empty())
    throw Error(ExitCode::Software,
                "cannot read journal " + file.string() + ": " + refused + "; move it aside");
  if (fd < 0 && errno == ENOENT) return false;
  int err = fd < 0 ? errno : 0;
  char buffer[1 << 16];
  while (err == 0) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0 && errno != EINTR) err = errno;
    if (n > 0) text.append(buffer, static_cast<std::size_t>(n));
  }
  if (fd >= 0) ::close(fd);
  if (err != 0) warnings.push_back(file.string() + ": cannot read journal: " + std::strerror(err));
  return err == 0;
}

}  // namespace

JournalContents parse_journal(std::string_view text, const std::string& name,
                              std::vector<JournalLine>* lines) {
  JournalContents out;
  std::size_t line_number = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    const bool terminated = end != std::string_view::npos;
    if (!terminated) end = text.size();
    ++line_number;
    const std::size_t before = out.records.size();
    const std::string_view line = text.substr(pos, end - pos);
    read_line(line, terminated, name + ":" + std::to_string(line_number), out);
    if (lines) {
      JournalLine l{line, terminated, std::nullopt};
      if (out.records.size() > before) l.record = before;
      lines->push_back(l);
    }
    pos = end + 1;
  }
  return out;
}

JournalContents read_journal(const fs::path& file) {
  JournalContents out;
  std::string text;
  if (!read_whole_file(file, text, out.warnings)) return out;
  JournalContents parsed = parse_journal(text, file.string());
  parsed.warnings.insert(parsed.warnings.begin(), out.warnings.begin(), out.warnings.end());
  return parsed;
}

// ---- queries ---------------------------------------------------------------------------------

namespace {

/// The last record per layer among those `keep` accepts.
template <typename Keep>
std::map<std::string, JournalRecord> last_per_layer(const JournalContents& j, Keep keep) {
  std::map<std::string, const JournalRecord*> last;
  for (const JournalRecord& r : j.records) {
    if (!r.layer.empty() && keep(r)) last[r.layer] = &r;
  }
  std::map<std::string, JournalRecord> out;
  for (const auto& [layer, record] : last) out.emplace(layer, *record);
  return out;
}

std::tm utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  return utc;
}

}  // namespace

double recent_median(std::vector<double> durations) {
  if (durations.size() > kDurationSamples)
    durations.erase(durations.begin(), durations.end() - kDurationSamples);
  std::sort(durations.begin(), durations.end());
  const std::size_t mid = durations.size() / 2;
  return durations.size() % 2 == 1 ? durations[mid] : (durations[mid - 1] + durations[mid]) / 2;
}

bool changed_something(const JournalRecord& r) { return r.changes.any() || r.changes.replace != 0; }

std::map<std::string, JournalRecord> last_results(const JournalContents& j) {
  return last_per_layer(j, [](const JournalRecord& r) { return r.type == "layer_end"; });
}

std::map<std::string, JournalRecord> confirmations(const JournalContents& j) {
  return last_per_layer(j, [](const JournalRecord& r) { return r.type == "confirm"; });
}

std::map<std::string, double> median_durations(const JournalContents& j,
                                               const std::string& action) {
  std::map<std::string, std::vector<double>> samples;
  for (const JournalRecord& r : j.records) {
    if (r.type == "layer_end" && r.result == "ok" && r.action == action && !r.layer.empty()) {
      samples[r.layer].push_back(r.duration_s);
    }
  }
  std::map<std::string, double> out;
  for (auto& [layer, values] : samples) out.emplace(layer, recent_median(std::move(values)));
  return out;
}

std::pair<const JournalRecord*, const JournalRecord*> last_run(const JournalContents& j) {
  const JournalRecord *start = nullptr, *end = nullptr;
  for (const auto& r : j.records) {
    if (r.type == "run_start")
      start = &r, end = nullptr;
    else if (r.type == "run_end" && start && r.run_id == start->run_id)
      end = &r;
  }
  return {start, end};
}

std::string new_run_id() {
  const std::tm utc = utc_now();
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  std::random_device random;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%04x", random() & 0xffffu);
  return std::string(stamp) + "-" + suffix;
}

std::string now_iso8601() {
  const std::tm utc = utc_now();
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return stamp;
}

}  // namespace stackctl
