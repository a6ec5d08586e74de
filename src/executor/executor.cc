#include "stackctl/executor/executor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "layer_timer.h"

namespace stackctl {

Executor::Executor(const Stack& stack, const Graph& graph, ProcessRunner& runner,
                   const TaskSettings& settings, std::vector<RunObserver*> observers,
                   StartGuard* guard)
    : stack_(stack),
      graph_(graph),
      runner_(runner),
      settings_(settings),
      observers_(std::move(observers)),
      guard_(guard) {}

RunResult Executor::run(const std::vector<Phase>& phases, const ExecOptions& options) {
  RunResult out;
  std::size_t next = 0;
  while (next < phases.size()) {
    const Phase& phase = phases[next++];
    notify([&](RunObserver& o) { o.phase_started(phase); });
    if (!run_phase(phase, options, out) || observer_error_) break;
  }
  // The layers of the phases that never started are reported too: every selected layer is.
  for (; next < phases.size(); ++next) {
    for (std::size_t layer : phases[next].layers) {
      LayerResult r;
      r.layer = layer;
      r.action = phases[next].action;
      r.outcome = Outcome::NotRun;
      r.message = "not started: an earlier phase did not succeed";
      out.layers.push_back(r);
    }
  }
  if (observer_error_) std::rethrow_exception(observer_error_);
  return out;
}

void Executor::notify(const std::function<void(RunObserver&)>& event) {
  for (auto* o : observers_) {
    try {
      event(*o);
    } catch (...) {
      if (!observer_error_) observer_error_ = std::current_exception();
    }
  }
}

namespace {

using Steady = std::chrono::steady_clock;
constexpr double kTickEvery = 1.0;  ///< seconds between two ticks

/// How long to wait for the next event before the moment when (seconds of the run's clock) is
/// due; never negative: the real runner reads a negative timeout as no limit.
std::chrono::milliseconds time_until(double when, double now) {
  auto left = std::chrono::milliseconds(static_cast<long long>(std::ceil((when - now) * 1000.0)));
  return std::max(left, std::chrono::milliseconds(0));
}

std::function<double()> clock_of(const ExecOptions& options) {
  if (options.clock) return options.clock;
  return [] { return std::chrono::duration<double>(Steady::now().time_since_epoch()).count(); };
}

LayerResult not_started(std::size_t layer, Action action, LayerState st) {
  LayerResult r;
  r.layer = layer;
  r.action = action;
  r.outcome = Outcome::NotRun;
  r.message = st == LayerState::Blocked ? "not started: a layer it needs did not succeed"
                                        : "not started: the run stopped";
  return r;
}

}  // namespace

/// One phase in flight: the schedule, the running tasks by child id, and the stop decision.
class Executor::PhaseRun {
 public:
  PhaseRun(Executor& exec, const Phase& phase, const ExecOptions& options, RunResult& out)
      : exec_(exec),
        phase_(phase),
        options_(options),
        out_(out),
        schedule_(exec.graph_, phase.layers, phase.direction(), options.weights,
                  options.parallelism <= 1, phase.unordered),
        keep_going_(options.keep_going && phase.action != Action::Destroy),
        clock_(clock_of(options)),
        timer_(options.layer_timeout, clock_),
        next_tick_(clock_() + kTickEvery) {}

  // Loop: (1) start ready layers up to the parallelism bound, (2) wait for one event,
  // (3) advance the task it concerns or forward the interrupt; until nothing runs or can start.
  bool run() {
    for (;;) {
      start_ready();
      if (running_.empty() && waiting_.empty() && checking_.empty()) break;
      handle(wait_event());
      wake_due();
    }
    report_not_started();
    return clean_;
  }

 private:
  void start_ready() {
    while (!stopping_ && !exec_.observer_error_ &&
           exec_.runner_.running() + waiting_.size() <
               std::max<std::size_t>(1, options_.parallelism)) {
      auto layer = schedule_.next_ready();
      if (!layer) return;
      schedule_.start(*layer);
      exec_.notify([&](RunObserver& o) { o.layer_started(*layer, phase_.action); });
      timer_.started(*layer);
      auto task = std::make_unique<LayerTask>(exec_.stack_, *layer, phase_.action, exec_.settings_);
      if (!check_first(*layer, task)) advance(std::move(task));
    }
  }

  // Starts the guard's children for a layer about to start; true when the layer waits for them
  // (its task is kept in checking_ until the last one ends).
  bool check_first(std::size_t layer, std::unique_ptr<LayerTask>& task) {
    if (!exec_.guard_) return false;
    std::vector<ChildSpec> specs = exec_.guard_->checks(layer, phase_.action);
    if (specs.empty()) return false;
    Checking& c = checking_[layer];
    c.task = std::move(task);
    c.results.resize(specs.size());
    c.left = specs.size();
    for (std::size_t k = 0; k < specs.size(); ++k)
      check_ids_[exec_.runner_.start(specs[k])] = {layer, k};
    return true;
  }

  // One of a layer's guard children ended; after the last, the guard decides whether the layer
  // starts. Nothing of the layer starts after an interrupt or once the run stops.
  void checked(int id, const ChildResult& r) {
    const auto [layer, k] = check_ids_.at(id);
    check_ids_.erase(id);
    Checking& c = checking_.at(layer);
    c.results[k] = r;
    if (--c.left > 0) return;
    std::unique_ptr<LayerTask> task = std::move(c.task);
    const std::vector<ChildResult> results = std::move(c.results);
    checking_.erase(layer);
    LayerResult stopped = task->result();
    if (out_.interrupts > 0) {
      stopped.outcome = Outcome::Interrupted;
      stopped.exit_code = 130;
      stopped.message = "interrupted before its first child started";
      return complete(stopped);
    }
    if (stopping_ || exec_.observer_error_)
      return complete(not_started(layer, phase_.action, LayerState::Running));
    if (auto why = exec_.guard_->verdict(layer, phase_.action, results)) {
      stopped.outcome = Outcome::Refused;
      stopped.exit_code = 3;
      stopped.message = *why;
      return complete(stopped);
    }
    advance(std::move(task));
  }

  // Waits for one event; ticks keep a progress display current even when children end more
  // often than once a second (plan, show and apply are separate children).
  RunnerEvent wait_event() {
    double until = next_tick_;
    for (const auto& w : waiting_) until = std::min(until, w.first);
    RunnerEvent ev = exec_.runner_.wait(timer_.wait_limit(time_until(until, clock_())));
    if (const double now = clock_(); now >= next_tick_) {
      next_tick_ = now + kTickEvery;
      exec_.notify([](RunObserver& o) { o.tick(); });
    }
    timer_.enforce(running_, exec_.runner_);
    return ev;
  }

  void handle(const RunnerEvent& ev) {
    if (ev.type == RunnerEvent::Type::Interrupt) return interrupted(ev.signal);
    if (ev.type == RunnerEvent::Type::Exited && check_ids_.count(ev.result.id))
      return checked(ev.result.id, ev.result);
    auto it = running_.find(ev.result.id);
    if (it == running_.end()) return;  // a timeout, or a child of no task
    std::unique_ptr<LayerTask> task = std::move(it->second);
    running_.erase(it);
    task->on_exit(ev.result);
    // A layer stopped for its timeout fails, unless its last step ended it well anyway.
    auto late = timer_.timed_out(task->result().layer);
    if (late && !(task->finished() && task->result().outcome == Outcome::Ok))
      return complete(timed_out_result(task->result(), ev.result, *late));
    if (stopping_ && !task->finished() && out_.interrupts > 0) task->mark_interrupted();
    advance(std::move(task));
  }

  // Ctrl-C/SIGTERM: no new layer starts; SIGINT to every running child, SIGKILL the third time.
  void interrupted(int signal) {
    ++out_.interrupts;
    stopping_ = true;
    clean_ = false;
    for (auto& [id, task] : running_) task->mark_interrupted();
    exec_.notify([&](RunObserver& o) { o.interrupted(signal, out_.interrupts); });
    // A layer waiting to retry a step stops at once: nothing of it runs.
    for (auto& w : std::exchange(waiting_, {})) {
      w.second->interrupted_while_waiting();
      complete(w.second->result());
    }
    exec_.runner_.signal_all(interrupt_signal(out_.interrupts));
  }

  // Starts the task's next child, or completes it when it has none; a task with a retry due
  // waits first (env.yaml retry.sleep).
  void advance(std::unique_ptr<LayerTask> task) {
    if (const RetryNotice* retry = task->retry_due()) {
      exec_.notify([&](RunObserver& o) { o.layer_retrying(*retry); });
      waiting_.emplace_back(clock_() + retry->sleep_s, std::move(task));
      return;
    }
    if (auto spec = task->next()) {
      int id = exec_.runner_.start(*spec);
      exec_.notify([&](RunObserver& o) {
        o.step_started(task->result().layer, phase_.action, task->step_name(), spec->log_file);
      });
      running_.emplace(id, std::move(task));
      return;
    }
    complete(task->result());
  }

  // The tasks whose retry wait is over start their step again.
  void wake_due() {
    const double now = clock_();
    std::vector<std::unique_ptr<LayerTask>> due;
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if (it->first > now) {
        ++it;
        continue;
      }
      due.push_back(std::move(it->second));
      it = waiting_.erase(it);
    }
    for (auto& task : due) {
      task->retry_started();
      advance(std::move(task));
    }
  }

  // Finishes a layer: schedule bookkeeping, observers, and the stop decision.
  void complete(const LayerResult& r) {
    timer_.finished(r.layer);
    bool ok = r.outcome == Outcome::Ok || r.outcome == Outcome::Skipped ||
              r.outcome == Outcome::Provisional;
    schedule_.finish(r.layer, ok);
    exec_.notify([&](RunObserver& o) { o.layer_finished(r); });
    out_.layers.push_back(r);
    if (!ok) clean_ = false;
    if (stops_run(r.outcome) && !keep_going_) stopping_ = true;
  }

  // Everything selected that never started is reported as not run.
  void report_not_started() {
    for (std::size_t layer : phase_.layers) {
      LayerState st = schedule_.state(layer);
      if (st != LayerState::Waiting && st != LayerState::Ready && st != LayerState::Blocked)
        continue;
      out_.layers.push_back(not_started(layer, phase_.action, st));
      clean_ = false;
    }
  }

  Executor& exec_;
  const Phase& phase_;
  const ExecOptions& options_;
  RunResult& out_;
  Schedule schedule_;
  const bool keep_going_;
  /// Monotonic seconds (ExecOptions::clock): ticks, retry waits and layer timeouts all read it.
  std::function<double()> clock_;
  LayerTimer timer_;
  std::map<int, std::unique_ptr<LayerTask>> running_;
  /// Tasks waiting to retry a step, with the time (clock_) they start it again.
  std::vector<std::pair<double, std::unique_ptr<LayerTask>>> waiting_;
  /// Layers waiting for their guard children (StartGuard), and those children by id.
  struct Checking {
    std::unique_ptr<LayerTask> task;
    std::vector<ChildResult> results;
    std::size_t left = 0;  ///< children still running
  };
  std::map<std::size_t, Checking> checking_;
  std::map<int, std::pair<std::size_t, std::size_t>> check_ids_;  ///< id -> layer, index
  double next_tick_;  ///< when (clock_) the observers' next tick is due
  bool stopping_ = false;
  bool clean_ = true;  ///< no failure, refusal, pending gate or interrupt
};

bool Executor::run_phase(const Phase& phase, const ExecOptions& options, RunResult& out) {
  return PhaseRun(*this, phase, options, out).run();
}

}  // namespace stackctl
