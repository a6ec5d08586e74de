#pragma once
/// The per-env run lock (docs/contract.md, The state folder): `.stackctl/<env>/lock`, taken
/// atomically.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "stackctl/util/duration.h"

namespace stackctl {

/// Exclusive: apply, destroy, rebuild, resume, output (one holder, no shared holder beside it).
/// Shared: plan and drift (any number of shared holders at once, none beside an exclusive one).
enum class LockMode { Exclusive, Shared };

/// Who holds a lock, as written in the lock file.
struct LockInfo {
  int pid = 0;
  std::string host, user, command, since;
  std::filesystem::path file;  ///< where it was read (shared holders: their file in lock.shared/)
  /// `held by USER@HOST (pid PID) running 'COMMAND' since SINCE`.
  std::string describe() const;
};

/// Reads a lock file; nullopt when absent or unreadable (not a JSON object with a positive pid).
std::optional<LockInfo> read_lock(const std::filesystem::path& file);

/// True when the holder ran on this host and its process no longer exists.
bool lock_is_stale(const LockInfo& info);

/// The folder of the shared holders of a lock: `<lock>.shared/`, one file per holder.
std::filesystem::path shared_folder(const std::filesystem::path& lock_file);

/// The shared holders of a lock, oldest first (unreadable holder files are left out).
std::vector<LockInfo> shared_holders(const std::filesystem::path& lock_file);

/// Removes the files of shared holders that are gone (lock_is_stale), or of every shared holder
/// with `all` (`unlock --force`). Returns the holders removed.
std::vector<LockInfo> remove_shared_holders(const std::filesystem::path& lock_file, bool all);

/// Removes a lock file whoever holds it (`unlock --force`). Returns false with `error` set when
/// there is no lock file (`no lock file at PATH`) or it cannot be removed (`cannot remove lock
/// PATH: REASON`).
bool remove_lock(const std::filesystem::path& file, std::string& error);

/// Holds the lock for its lifetime (released in the destructor and by release()).
class EnvLock {
 public:
  /// Takes the lock of env `env` atomically: the lock JSON is written to a temporary file in the
  /// same folder and link()ed to `file`, so the lock is never seen half-written. A lock of a dead
  /// pid on this host is taken over (reported through `took_over()`). While another holder has
  /// it, polls every 100 ms for up to `timeout`, then throws Error(Locked) naming the holder and
  /// how to remove the lock. Throws Error(Software) when the lock file cannot be written.
  /// Shared: the holder's own file in shared_folder(file), taken while no exclusive lock is held;
  /// an exclusive lock waits (up to `timeout`) until every live shared holder has left.
  EnvLock(const std::filesystem::path& file, const std::string& env, const std::string& command,
          std::chrono::milliseconds timeout, LockMode mode = LockMode::Exclusive);
  ~EnvLock();
  EnvLock(const EnvLock&) = delete;
  EnvLock& operator=(const EnvLock&) = delete;
  /// Removes the lock file if it is still ours (same pid); a no-op once released.
  void release();
  /// The stale lock taken over, if any.
  const std::optional<LockInfo>& took_over() const { return took_over_; }

 private:
  void take_shared(const std::string& env, std::chrono::steady_clock::time_point deadline);

  std::filesystem::path file_;  ///< the lock file, or (shared) this holder's file
  LockMode mode_ = LockMode::Exclusive;
  LockInfo mine_;
  bool held_ = false;
  std::optional<LockInfo> took_over_;
};

}  // namespace stackctl
