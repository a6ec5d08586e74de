#pragma once
/// TERRAGRUNT_SIM_LOG: one JSON line per invocation, so tests can check exact call sequences
/// and overlap: {"cwd", "argv", "start", "end", "exit", "pid", "non_interactive"}.
#include <string>
#include <vector>

namespace tgsim {

/// The record of this invocation, written once when the process ends.
class CallLog {
 public:
  /// Remembers the invocation (argv[0] included) and its start time.
  explicit CallLog(std::vector<std::string> argv);

  /// Notes whether the run was non-interactive (known once the arguments are parsed).
  void set_non_interactive(bool on) { non_interactive_ = on; }

  /// Appends the line (a single O_APPEND write) if TERRAGRUNT_SIM_LOG is set.
  void write(int exit_code) const;

 private:
  std::vector<std::string> argv_;
  std::string cwd_;
  double start_ = 0;
  bool non_interactive_ = false;
};

/// Seconds since the epoch, rounded to milliseconds.
double epoch_seconds();

}  // namespace tgsim
