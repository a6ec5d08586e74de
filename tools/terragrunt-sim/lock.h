#pragma once
/// The simulated state lock: `.terragrunt-sim/lock` exists while plan, apply or destroy works.
#include <filesystem>
#include <functional>
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
  /// while waiting. Failed: the file could not be created (holder = the reason). slow is called
  /// once when the lock is still not taken after kSlowLock seconds, as terraform then prints
  /// `Acquiring state lock. This may take a few moments...` (nothing when it is free at once).
  Result acquire(const std::filesystem::path& module_dir, const std::string& operation,
                 double timeout_s, std::string& holder, const std::function<void()>& slow);

  /// terraform's clistate.LockThreshold: 400 ms.
  static constexpr double kSlowLock = 0.4;

  /// Removes the lock file if this object holds it.
  void release();

 private:
  std::filesystem::path path_;
  bool held_ = false;
};

}  // namespace tgsim
