#pragma once
/// `--layer-timeout`: the executor's bookkeeping of when each running layer must end.
///
/// A layer action (all its steps: plan, show, apply) that is still running when its time is up
/// gets one SIGINT to its child's process group, so terraform can stop and release its state
/// lock; if the child is still there after the grace period (layer_grace()), it gets SIGKILL.
/// The layer then fails with `timed out after DURATION`.
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "stackctl/executor/layer_task.h"
#include "stackctl/runner/runner.h"

namespace stackctl {

/// Watches the running layers of one phase. Pure bookkeeping plus signals through the runner;
/// time comes from the clock given (seconds, monotonic).
class LayerTimer {
 public:
  /// limit 0: no timeout (every call is then a no-op).
  LayerTimer(std::chrono::milliseconds limit, std::function<double()> clock);

  /// A layer action started now.
  void started(std::size_t layer);
  /// Sends SIGINT to the layers whose time is up and SIGKILL to those whose grace period is
  /// over; running maps child ids to the tasks they belong to.
  void enforce(const std::map<int, std::unique_ptr<LayerTask>>& running, ProcessRunner& runner);
  /// How long the executor may wait before enforce() has something to do: the time to the next
  /// deadline or grace end (rounded up to a millisecond), at most cap.
  std::chrono::milliseconds wait_limit(std::chrono::milliseconds cap) const;
  /// Why the layer failed when it was stopped for its timeout (`timed out after 2s`, plus the
  /// SIGKILL when one was needed); nullopt when it was not.
  std::optional<std::string> timed_out(std::size_t layer) const;
  /// The layer action ended; forget it.
  void finished(std::size_t layer);

 private:
  struct Watch {
    double started = 0;
    double interrupted = -1;  ///< when SIGINT was sent; -1: not yet
    bool killed = false;
  };
  double next_event(const Watch& w) const;

  std::chrono::milliseconds limit_;
  std::function<double()> clock_;
  std::map<std::size_t, Watch> watches_;
};

/// The grace period between the timeout's SIGINT and SIGKILL: a tenth of the timeout, at least
/// 1 s and at most 30 s (terragrunt's own wait before it kills terraform).
std::chrono::milliseconds layer_grace(std::chrono::milliseconds limit);

/// A duration as users write it, exactly: `2s`, `90s`, `5m`, `1h`, `250ms`.
std::string format_limit(std::chrono::milliseconds d);

/// The result of a layer stopped by its timeout: failed with message, the exit code and last
/// output lines of its child.
LayerResult timed_out_result(const LayerResult& layer, const ChildResult& child,
                             const std::string& message);

}  // namespace stackctl
