#pragma once
/// The per-env run lock (CONTRACT §1.3): `.stackctl/<env>/lock`, taken atomically.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace stackctl {

/// Who holds a lock, as written in the lock file.
struct LockInfo {
  int pid = 0;
  std::string host, user, command, since;
  /// `held by USER@HOST (pid PID) running 'COMMAND' since SINCE`.
  std::string describe() const;
};

/// Reads a lock file; nullopt when absent or unreadable.
std::optional<LockInfo> read_lock(const std::filesystem::path& file);

/// Holds the lock for its lifetime (released in the destructor and by release()).
class EnvLock {
 public:
  /// Takes the lock atomically (O_CREAT|O_EXCL). A lock of a dead pid on this host is taken over
  /// (warning through `took_over()`). Waits up to timeout, polling. Throws Error(Locked) naming
  /// the holder when it cannot be had.
  EnvLock(const std::filesystem::path& file, const std::string& command,
          std::chrono::milliseconds timeout);
  ~EnvLock();
  EnvLock(const EnvLock&) = delete;
  EnvLock& operator=(const EnvLock&) = delete;
  void release();
  /// The stale lock taken over, if any.
  const std::optional<LockInfo>& took_over() const { return took_over_; }

 private:
  std::filesystem::path file_;
  bool held_ = false;
  std::optional<LockInfo> took_over_;
};

/// Parses `30s`, `5m`, `1h`, `250ms`, `0`; nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_duration(const std::string& s);

}  // namespace stackctl
