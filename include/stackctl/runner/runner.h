#pragma once
/// The only seam to child processes: start children, wait for the next event, signal them.
/// A real implementation (Boost.Process, process groups) and fakes for tests share it.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stackctl/manifest/manifest.h"

namespace stackctl {

/// Which processes an interrupt (SIGINT) of a child reaches (docs/contract.md, Ctrl-C, SIGTERM and
/// SIGHUP).
enum class InterruptScope {
  /// The child's whole process group (a `command` step).
  Group,
  /// Every process of the child's group but the child itself: terragrunt must never see the
  /// interrupt (it would re-send it or kill terraform), the terraform/tofu it runs gets it once,
  /// including one that starts while the interrupt is pending.
  GroupButLeader,
};

/// Everything needed to start one child.
struct ChildSpec {
  std::vector<std::string> argv;   ///< argv[0] is resolved on PATH when it has no '/'
  std::filesystem::path cwd;       ///< absolute
  EnvVars env;                     ///< the child's whole environment (nothing is inherited)
  std::filesystem::path log_file;  ///< stdout+stderr are appended here whole; empty: no log
  std::string label;               ///< prefix for echoed lines, e.g. the layer name
  bool echo = false;               ///< copy each output line to stderr as `[label] line`
  bool capture_stdout = false;     ///< keep stdout in ChildResult::stdout_data
  /// Values replaced by *** in the log, the echo and ChildResult::tail. stdout_data keeps the
  /// raw bytes: it is parsed as JSON (show -json, output -json) and never printed as a log.
  std::vector<std::string> redact;
  InterruptScope interrupt_scope = InterruptScope::Group;
  /// When set, the last output line containing it is kept in ChildResult::marked_line, however
  /// much the child prints after it (terraform's closing `Destroy complete!` before a long hook).
  std::string mark{};
};

/// How a child ended.
struct ChildResult {
  int id = -1;              ///< the id start() returned
  int exit_code = -1;       ///< valid when signal == 0 and spawn_error is empty
  int signal = 0;           ///< the signal that killed it, or 0
  std::string spawn_error;  ///< non-empty when the child could not be started
  std::string stdout_data;  ///< with capture_stdout
  std::string tail;         ///< the last 30 lines of combined output, each ending in '\n'
  double duration_s = 0;
  /// Non-empty when log_file could not be opened or written (e.g. disk full): the child still
  /// ran and its result stands, but its log is incomplete. The first such error only.
  std::string log_error;
  /// With capture_stdout: why stdout_data is empty because the output was too large to keep
  /// ("larger than 256 MiB"), or "".
  std::string capture_error;
  /// run_to_completion() only: the first SIGINT/SIGTERM stackctl received while the child ran
  /// (it was forwarded to the child), or 0.
  int interrupt = 0;
  /// The processes of its group SIGKILL ended ("1234 (terragrunt), 1240 (tofu)"), or "".
  std::string killed;
  /// With ChildSpec::mark: the last line that contained it (redacted, terminal-safe), or "".
  std::string marked_line;

  bool ok() const { return spawn_error.empty() && signal == 0 && exit_code == 0; }
  /// "exit 1", "killed by SIGKILL", "could not start: ...".
  std::string describe() const;
  /// Its end as a shell reports it: 127 when it could not start, 128+N when signal N ended it,
  /// else its exit code.
  int shell_status() const;
};

/// What wait() saw.
struct RunnerEvent {
  enum class Type { Exited, Interrupt, Timeout };
  Type type = Type::Timeout;
  ChildResult result;  ///< with Exited
  int signal = 0;      ///< with Interrupt: SIGINT or SIGTERM received by stackctl
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  /// Starts a child; returns its id. A spawn failure is reported by the next wait() as Exited
  /// with spawn_error set, never thrown.
  virtual int start(const ChildSpec& spec) = 0;
  /// Blocks until a child exits, an interrupt arrives, or timeout passes.
  virtual RunnerEvent wait(std::chrono::milliseconds timeout) = 0;
  /// Sends sig to every running child, once, as signal() does.
  virtual void signal_all(int sig) = 0;
  /// Sends sig to one running child: SIGKILL to its whole process group; any other signal to
  /// the processes its ChildSpec::interrupt_scope names. A child is reported as exited only
  /// once every process of its group is gone.
  virtual void signal(int id, int sig) = 0;
  /// Number of children started and not yet reported by wait().
  virtual std::size_t running() const = 0;
};

/// Receives each echoed line, already formatted as `[label] line\n`.
using EchoSink = std::function<void(const std::string& text)>;

/// Settings of the real runner.
struct ProcessRunnerOptions {
  EchoSink echo;  ///< where echoed lines go; empty: written whole to stderr (fd 2)
};

/// The real runner: Boost.Process, each child in its own process group, stdin from /dev/null,
/// output pumped into the log file. While it exists SIGINT/SIGTERM are caught and reported by
/// wait() as Interrupt events instead of killing stackctl (each signal received is exactly one
/// event); the previous handlers come back when it is destroyed. Destroying it SIGKILLs and reaps
/// the children still running. wait() with a negative timeout waits without limit.
/// Single-threaded: use one runner at a time from one thread.
std::unique_ptr<ProcessRunner> make_process_runner(const ProcessRunnerOptions& options = {});

/// The signal the count-th interrupt of a run sends to its children (docs/contract.md, Ctrl-C,
/// SIGTERM and SIGHUP): SIGINT the first and second time, SIGKILL from the third on.
int interrupt_signal(int count);

/// Runs one child to completion on a runner with no other children (used for `--version`,
/// `output`). An interrupt meanwhile is forwarded to the child the way the executor does it
/// (SIGINT, SIGINT again, then SIGKILL) and recorded in ChildResult::interrupt.
ChildResult run_to_completion(ProcessRunner& runner, const ChildSpec& spec);

/// "SIGINT", "SIGKILL", ... for the common signals; "signal N" for the others.
std::string signal_name(int sig);

}  // namespace stackctl
