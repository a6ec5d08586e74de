#pragma once
/// The simulated state lock: `.terragrunt-sim/lock` exists while plan, apply or destroy works.
#include <filesystem>
#include <string>

namespace tgsim {

/// Holds the lock file while a command works.
class StateLock {
 public:
  /// How acquire() ended.
  enum class Result { Acquired, Busy, Interrupted, Failed };

  StateLock() = default;
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;
  /// Releases the lock unless two interrupts were received (terraform then exits at once and
  /// leaves its lock behind).
  ~StateLock();

  /// Takes the lock of module_dir, polling until timeout_s has passed. Busy: someone holds it
  /// (holder = the holder's lock info, for the error message). Interrupted: a signal arrived
  /// while waiting. Failed: the file could not be created (holder = the reason).
  Result acquire(const std::filesystem::path& module_dir, const std::string& operation,
                 double timeout_s, std::string& holder);

  /// Removes the lock file if this object holds it.
  void release();

 private:
  std::filesystem::path path_;
  bool held_ = false;
};

}  // namespace tgsim
