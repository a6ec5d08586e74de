#pragma once
/// The one main loop: runs the layer tasks of each phase through a ProcessRunner, in
/// dependency order, as many at a time as parallelism allows.
#include <chrono>
#include <cstddef>
#include <exception>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "stackctl/executor/layer_task.h"
#include "stackctl/executor/schedule.h"
#include "stackctl/manifest/graph.h"
#include "stackctl/plan/phase.h"
#include "stackctl/runner/runner.h"

namespace stackctl {

struct ExecOptions {
  std::size_t parallelism = 1;
  bool keep_going = false;      ///< never for destroy phases
  std::vector<double> weights;  ///< per manifest position, expected duration (critical path)
  /// --layer-timeout: a layer action still running after this long gets SIGINT (its child's
  /// process group), SIGKILL after a grace period, and fails; 0 = no limit.
  std::chrono::milliseconds layer_timeout{0};
  /// Monotonic seconds for the ticks, the retry waits and the layer timeouts; empty:
  /// std::chrono::steady_clock. Tests drive time through it.
  std::function<double()> clock;
};

/// Receives the events of a run, in order (reporters, the journal).
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void phase_started(const Phase& /*phase*/) {}
  virtual void layer_started(std::size_t /*layer*/, Action /*action*/) {}
  /// The layer's next child started: its step (LayerTask::step_name()) and the log file the
  /// child's output is appended to.
  virtual void step_started(std::size_t /*layer*/, Action /*action*/, const std::string& /*step*/,
                            const std::filesystem::path& /*log_file*/) {}
  virtual void layer_finished(const LayerResult& /*result*/) {}
  /// stackctl received SIGINT/SIGTERM; count is 1 for the first.
  virtual void interrupted(int /*signal*/, int /*count*/) {}
  /// Called about once a second while children run (progress redraws).
  virtual void tick() {}
  /// A layer step failed with a transient error and is tried again after notice.sleep_s.
  virtual void layer_retrying(const RetryNotice& /*notice*/) {}
};

/// Asked right before a layer's first child starts, for the rules that depend on facts that may
/// have changed since the preview (a destroy's dependents found empty then). Its children run
/// on the executor's runner, like the layer's own; the layer waits for them.
class StartGuard {
 public:
  virtual ~StartGuard() = default;
  /// The children to run before the layer's first child; none (the usual case): it starts at once.
  virtual std::vector<ChildSpec> checks(std::size_t layer, Action action) = 0;
  /// The ends of those children, in the order checks() gave them: why the layer must not start
  /// (it ends refused, exit 3), or nullopt.
  virtual std::optional<std::string> verdict(std::size_t layer, Action action,
                                             const std::vector<ChildResult>& results) = 0;
};

/// What happened in a run.
struct RunResult {
  std::vector<LayerResult> layers;  ///< every selected layer, in the order they finished;
                                    ///< those never started have Outcome::NotRun
  int interrupts = 0;               ///< SIGINT/SIGTERM received
};

class Executor {
 public:
  Executor(const Stack& stack, const Graph& graph, ProcessRunner& runner,
           const TaskSettings& settings, std::vector<RunObserver*> observers,
           StartGuard* guard = nullptr);
  /// Runs the phases in order; a phase that ends with a failure, refusal or interrupt stops the
  /// run (later phases do not start). Rethrows the first exception of an observer once every
  /// child it started has ended.
  RunResult run(const std::vector<Phase>& phases, const ExecOptions& options);

 private:
  class PhaseRun;
  bool run_phase(const Phase& phase, const ExecOptions& options, RunResult& out);
  /// Tells every observer about an event. An observer that throws (the journal on a full disk)
  /// keeps further layers from starting; the running ones end normally, then run() rethrows.
  void notify(const std::function<void(RunObserver&)>& event);

  const Stack& stack_;
  const Graph& graph_;
  ProcessRunner& runner_;
  const TaskSettings& settings_;
  std::vector<RunObserver*> observers_;
  StartGuard* guard_ = nullptr;        ///< asked before each layer's first child, when set
  std::exception_ptr observer_error_;  ///< the first exception an observer threw
};

}  // namespace stackctl
