// The per-env run lock: a JSON file that appears whole or not at all, thanks to link().
#include "stackctl/journal/lock.h"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <system_error>
#include <thread>
#include <vector>

#include "stackctl/journal/journal.h"
#include "stackctl/util/error.h"
#include "stackctl/util/process_group.h"
#include "stackctl/util/state_file.h"
#include "stackctl/util/terminal_text.h"

namespace stackctl {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::chrono::milliseconds kPollInterval{100};

Error io_error(const std::string& what, const fs::path& file, int err) {
  return Error(ExitCode::Software, what + " " + file.string() + ": " + std::strerror(err));
}

std::string this_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown-host";
  return name;
}

std::string this_user() {
  struct passwd entry {};
  struct passwd* found = nullptr;
  char buffer[4096];
  if (::getpwuid_r(::geteuid(), &entry, buffer, sizeof buffer, &found) == 0 && found != nullptr) {
    return found->pw_name;
  }
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "uid " + std::to_string(::geteuid());
}

std::string lock_text(const LockInfo& info) {
  const nlohmann::ordered_json j = {{"pid", info.pid},
                                    {"host", info.host},
                                    {"user", info.user},
                                    {"command", info.command},
                                    {"since", info.since}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

/// What a look at the lock path found. `text` is the file's content, to notice replacement.
struct SeenLock {
  enum class State { Absent, Corrupt, Valid } state = State::Absent;
  LockInfo info;
  std::string text;
  std::string problem;  ///< why the lock path is not a lock file at all ("it is a FIFO, ...")
};

/// Reads the whole file at `file`; false with errno set when it cannot be opened or read, and
/// `refused` set when the path is not a regular file (not followed if a symbolic link, not
/// waited on if a FIFO).
bool read_text(const fs::path& file, std::string& text, std::string& refused) {
  const int fd = open_state_file(file, O_RDONLY, 0, refused);
  if (fd < 0) return false;
  char buffer[4096];
  ssize_t n = 0;
  // A lock is a few hundred bytes; a lock path leading to an endless file (/dev/zero) is not one.
  constexpr std::size_t kMaxLockBytes = 64 * 1024;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > kMaxLockBytes) {
      refused = "it is over 64 KiB, which no lock is";
      n = -1;
      errno = EFBIG;
      break;
    }
  }
  const int err = errno;
  ::close(fd);
  errno = err;
  return n == 0;
}

/// "2026-11-30T10:15:00Z" (now_iso8601) as seconds since the epoch; nullopt otherwise.
std::optional<std::time_t> parse_utc(const std::string& text) {
  std::tm tm{};
  char zone = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &zone) != 7 ||
      zone != 'Z')
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::time_t t = ::timegm(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return t;
}

std::string text_field(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// Parses lock JSON; false unless it is an object with a positive integer pid.
bool parse_lock(const std::string& text, LockInfo& info) {
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return false;
  const auto pid = j.find("pid");
  if (pid == j.end() || !pid->is_number_integer()) return false;
  const auto value = pid->get<long long>();
  if (value <= 0 || value > INT_MAX) return false;
  info.pid = static_cast<int>(value);
  info.host = text_field(j, "host");
  info.user = text_field(j, "user");
  info.command = text_field(j, "command");
  info.since = text_field(j, "since");
  return true;
}

SeenLock look_at(const fs::path& file) {
  SeenLock seen;
  if (!read_text(file, seen.text, seen.problem)) {
    // Present but unreadable (or not a regular file, a dangling symbolic link included) counts
    // as held by someone unknown: never as absent, which would be retried at once, forever.
    seen.state = errno == ENOENT && seen.problem.empty() ? SeenLock::State::Absent
                                                         : SeenLock::State::Corrupt;
    return seen;
  }
  seen.state = parse_lock(seen.text, seen.info) ? SeenLock::State::Valid : SeenLock::State::Corrupt;
  return seen;
}

/// A fully written copy of our lock file next to the lock path; removed when it goes out of scope.
class TempLockFile {
 public:
  TempLockFile(const fs::path& lock, const std::string& text) {
    std::random_device random;
    path_ =
        lock.parent_path() / ("." + lock.filename().string() + "." + std::to_string(::getpid()) +
                              "." + std::to_string(random() % 1000000u) + ".tmp");
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throw io_error("cannot create lock", lock, errno);
    const bool written =
        ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
        ::fsync(fd) == 0;
    const int err = errno;
    ::close(fd);
    if (!written) {
      ::unlink(path_.c_str());
      throw io_error("cannot create lock", lock, err);
    }
  }
  ~TempLockFile() { ::unlink(path_.c_str()); }
  TempLockFile(const TempLockFile&) = delete;
  TempLockFile& operator=(const TempLockFile&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

enum class Outcome { Taken, TookOver, Held, Retry };

/// One attempt at taking `lock` by linking `temp` to it, or by replacing a stale lock.
Outcome attempt(const fs::path& lock, const fs::path& temp, SeenLock& seen) {
  if (::link(temp.c_str(), lock.c_str()) == 0) return Outcome::Taken;
  if (errno != EEXIST) throw io_error("cannot create lock", lock, errno);
  seen = look_at(lock);
  if (seen.state == SeenLock::State::Absent) return Outcome::Retry;
  if (seen.state == SeenLock::State::Corrupt || !lock_is_stale(seen.info)) return Outcome::Held;
  // Replace only the very file judged stale: another waiter may have taken it over meanwhile.
  if (look_at(lock).text != seen.text) return Outcome::Retry;
  if (::rename(temp.c_str(), lock.c_str()) != 0) throw io_error("cannot create lock", lock, errno);
  return Outcome::TookOver;
}

/// Whether a look at the exclusive lock found it held (by a live holder, or an unknown one).
bool exclusive_held(const SeenLock& seen) {
  return seen.state == SeenLock::State::Corrupt ||
         (seen.state == SeenLock::State::Valid && !lock_is_stale(seen.info));
}

/// The shared folder as it is: absent, a real folder, or something else (refused, never
/// followed: a symbolic link or a file at its path is held by an unknown holder).
enum class FolderState { Absent, Folder, Refused };
FolderState folder_state(const fs::path& dir) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0)
    return errno == ENOENT ? FolderState::Absent : FolderState::Refused;
  return S_ISDIR(st.st_mode) ? FolderState::Folder : FolderState::Refused;
}

/// One shared holder file, as found: valid (with info), or not a lock (a FIFO, a symbolic
/// link, unreadable or not lock JSON).
struct SharedEntry {
  fs::path file;
  SeenLock seen;
};

/// Every holder file of the shared folder (names not starting with '.', which are temporary
/// copies being linked in), by name.
std::vector<SharedEntry> shared_entries(const fs::path& dir) {
  std::vector<SharedEntry> out;
  if (folder_state(dir) != FolderState::Folder) return out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    SeenLock seen = look_at(it->path());
    if (seen.state == SeenLock::State::Absent) continue;  // left meanwhile
    out.push_back({it->path(), seen});
  }
  std::sort(out.begin(), out.end(),
            [](const SharedEntry& a, const SharedEntry& b) { return a.file < b.file; });
  return out;
}

/// The shared holders in the way of an exclusive lock: stale ones are removed on the way (their
/// names are unique to one holder, so the file removed is never a live holder's).
std::vector<SharedEntry> live_shared(const fs::path& dir) {
  std::vector<SharedEntry> live;
  for (auto& e : shared_entries(dir)) {
    if (e.seen.state == SeenLock::State::Valid && lock_is_stale(e.seen.info)) {
      if (look_at(e.file).text == e.seen.text) ::unlink(e.file.c_str());
      continue;
    }
    live.push_back(std::move(e));
  }
  return live;
}

std::string describe_shared(const fs::path& dir, const std::vector<SharedEntry>& live) {
  if (folder_state(dir) == FolderState::Refused)
    return "held by an unknown holder (" + dir.string() + " is not a folder of shared holders)";
  std::string text =
      std::to_string(live.size()) + " shared holder" + (live.size() == 1 ? "" : "s") + ": ";
  for (std::size_t i = 0; i < live.size(); ++i) {
    const auto& e = live[i];
    text += (i ? "; " : "") +
            (e.seen.state == SeenLock::State::Valid
                 ? e.seen.info.describe()
                 : terminal_safe("an unknown holder (" + e.file.string() + " is not a valid lock" +
                                 (e.seen.problem.empty() ? "" : ": " + e.seen.problem) + ")"));
  }
  return text;
}

std::string locked_message(const std::string& env, const fs::path& lock, const SeenLock& seen) {
  const std::string holder = seen.state == SeenLock::State::Valid
                                 ? seen.info.describe()
                                 : "held by an unknown holder (the lock file " + lock.string() +
                                       " is not a valid lock" +
                                       (seen.problem.empty() ? "" : ": " + seen.problem) + ")";
  return "env '" + env + "' is locked: " + holder +
         "; wait for it, or run 'stackctl unlock --env " + env + " --force' if it is gone";
}

std::string locked_by_shared(const std::string& env, const fs::path& dir,
                             const std::vector<SharedEntry>& live) {
  return "env '" + env + "' is locked: " + describe_shared(dir, live) +
         "; wait for them, or run 'stackctl unlock --env " + env + " --force' if they are gone";
}

}  // namespace

fs::path shared_folder(const fs::path& lock_file) {
  return fs::path(lock_file.string() + ".shared");
}

std::vector<LockInfo> shared_holders(const fs::path& lock_file) {
  std::vector<LockInfo> out;
  for (auto& e : shared_entries(shared_folder(lock_file))) {
    if (e.seen.state != SeenLock::State::Valid) continue;
    e.seen.info.file = e.file;
    out.push_back(e.seen.info);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const LockInfo& a, const LockInfo& b) { return a.since < b.since; });
  return out;
}

std::vector<LockInfo> remove_shared_holders(const fs::path& lock_file, bool all) {
  const fs::path dir = shared_folder(lock_file);
  std::vector<LockInfo> removed;
  if (all && folder_state(dir) ==
                 FolderState::Refused) {  // a symbolic link or a file: removed, never followed
    ::unlink(dir.c_str());
    return removed;
  }
  for (auto& e : shared_entries(dir)) {
    const bool valid = e.seen.state == SeenLock::State::Valid;
    if (!all && !(valid && lock_is_stale(e.seen.info))) continue;
    if (::unlink(e.file.c_str()) != 0) continue;
    e.seen.info.file = e.file;
    if (valid) removed.push_back(e.seen.info);
  }
  return removed;
}

std::string LockInfo::describe() const {
  // The lock file is outside text (anyone who can write the state folder): shown, not obeyed.
  return terminal_safe("held by " + user + "@" + host + " (pid " + std::to_string(pid) +
                       ") running '" + command + "' since " + since);
}

std::optional<LockInfo> read_lock(const fs::path& file) {
  SeenLock seen = look_at(file);
  if (seen.state != SeenLock::State::Valid) return std::nullopt;
  return seen.info;
}

bool lock_is_stale(const LockInfo& info) {
  if (info.pid <= 0 || info.host != this_host()) return false;
  if (::kill(info.pid, 0) != 0 && errno == ESRCH) return true;
  // A live process that started after the lock was written got the holder's pid again (pids
  // are recycled, and a container restarts at low ones): the holder is gone. Both times are
  // whole seconds, hence the margin.
  const auto started = process_start_time(info.pid);
  const auto since = parse_utc(info.since);
  return started && since && *started > *since + 2;
}

bool remove_lock(const fs::path& file, std::string& error) {
  if (::unlink(file.c_str()) == 0) return true;
  const int err = errno;
  error = err == ENOENT ? "no lock file at " + file.string()
                        : "cannot remove lock " + file.string() + ": " + std::strerror(err);
  return false;
}

namespace {

void make_folder(const fs::path& dir) {
  // The env's folder inside the state folder is never followed out of it.
  if (const std::string link = linked_folder(dir, 0); !link.empty())
    throw Error(ExitCode::Software, "cannot create lock folder " + dir.string() + ": it " +
                                        kLinkNotFollowed + "; move it aside");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw Error(ExitCode::Software,
                "cannot create lock folder " + dir.string() + ": " + ec.message());
}

/// Sleeps one poll interval, or throws `locked` once the deadline has passed.
void wait_or_throw(std::chrono::steady_clock::time_point deadline,
                   const std::function<std::string()>& locked) {
  const auto now = std::chrono::steady_clock::now();
  if (now >= deadline) throw Error(ExitCode::Locked, locked());
  std::this_thread::sleep_for(
      std::min<std::chrono::steady_clock::duration>(kPollInterval, deadline - now));
}

/// A name no other holder uses: pid, start time and a random number.
std::string holder_name() {
  std::random_device random;
  return std::to_string(::getpid()) + "." + std::to_string(std::time(nullptr)) + "." +
         std::to_string(random() % 1000000000u);
}

}  // namespace

EnvLock::EnvLock(const fs::path& file, const std::string& env, const std::string& command,
                 std::chrono::milliseconds timeout, LockMode mode)
    : file_(file), mode_(mode), mine_{::getpid(), this_host(),   this_user(),
                                      command,    now_iso8601(), {}} {
  if (file_.has_parent_path()) make_folder(file_.parent_path());
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  if (mode_ == LockMode::Shared) {
    take_shared(env, deadline);
    return;
  }
  const TempLockFile temp(file_, lock_text(mine_));
  for (;;) {
    SeenLock seen;
    const Outcome outcome = attempt(file_, temp.path(), seen);
    if (outcome == Outcome::Retry) continue;
    if (outcome != Outcome::Held) {
      held_ = true;
      if (outcome == Outcome::TookOver) took_over_ = seen.info;
      break;
    }
    wait_or_throw(deadline, [&] { return locked_message(env, file_, seen); });
  }
  // Holding the lock file keeps new shared holders out; the ones inside finish first. Each
  // shared holder looks at the lock file after registering, so none is missed in between.
  const fs::path dir = shared_folder(file_);
  for (;;) {
    auto live = live_shared(dir);
    if (live.empty() && folder_state(dir) != FolderState::Refused) return;
    try {
      wait_or_throw(deadline, [&] { return locked_by_shared(env, dir, live); });
    } catch (...) {
      release();
      throw;
    }
  }
}

// Registers this holder in the shared folder while no exclusive lock is held; backs out and
// waits when an exclusive holder came meanwhile (it, in turn, waits for the shared holders).
void EnvLock::take_shared(const std::string& env, std::chrono::steady_clock::time_point deadline) {
  const fs::path dir = shared_folder(file_);
  const fs::path lock = file_;
  for (;;) {
    SeenLock seen = look_at(lock);
    if (exclusive_held(seen)) {
      wait_or_throw(deadline, [&] { return locked_message(env, lock, seen); });
      continue;
    }
    if (folder_state(dir) == FolderState::Absent) make_folder(dir);
    if (folder_state(dir) != FolderState::Folder)
      throw Error(ExitCode::Locked, "env '" + env + "' is locked: " + describe_shared(dir, {}) +
                                        "; run 'stackctl unlock --env " + env +
                                        " --force' to remove it");
    const fs::path mine = dir / holder_name();
    {
      const TempLockFile temp(mine, lock_text(mine_));
      if (::link(temp.path().c_str(), mine.c_str()) != 0)
        throw io_error("cannot create lock", mine, errno);
    }
    seen = look_at(lock);
    if (!exclusive_held(seen)) {
      file_ = mine;
      held_ = true;
      return;
    }
    ::unlink(mine.c_str());
    wait_or_throw(deadline, [&] { return locked_message(env, lock, seen); });
  }
}

EnvLock::~EnvLock() { release(); }

void EnvLock::release() {
  if (!held_) return;
  held_ = false;
  // Someone may have forced the lock away and taken it since; leave theirs alone.
  if (look_at(file_).text == lock_text(mine_)) ::unlink(file_.c_str());
}

}  // namespace stackctl
