#pragma once
/// The per-env run lock (CONTRACT §1.3): `.stackctl/<env>/lock`, taken atomically.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "stackctl/duration.h"

namespace stackctl {

/// Who holds a lock, as written in the lock file.
struct LockInfo {
  int pid = 0;
  std::string host, user, command, since;
  /// `held by USER@HOST (pid PID) running 'COMMAND' since SINCE`.
  std::string describe() const;
};

/// Reads a lock file; nullopt when absent or unreadable (not a JSON object with a positive pid).
std::optional<LockInfo> read_lock(const std::filesystem::path& file);

/// True when the holder ran on this host and its process no longer exists.
bool lock_is_stale(const LockInfo& info);

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
  EnvLock(const std::filesystem::path& file, const std::string& env, const std::string& command,
          std::chrono::milliseconds timeout);
  ~EnvLock();
  EnvLock(const EnvLock&) = delete;
  EnvLock& operator=(const EnvLock&) = delete;
  /// Removes the lock file if it is still ours (same pid); a no-op once released.
  void release();
  /// The stale lock taken over, if any.
  const std::optional<LockInfo>& took_over() const { return took_over_; }

 private:
  std::filesystem::path file_;
  LockInfo mine_;
  bool held_ = false;
  std::optional<LockInfo> took_over_;
};

}  // namespace stackctl
