#include "stackctl/executor.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <map>
#include <memory>

#include "layer_timer.h"

namespace stackctl {

Executor::Executor(const Stack& stack, const Graph& graph, ProcessRunner& runner,
                   const TaskSettings& settings, std::vector<RunObserver*> observers)
    : stack_(stack), graph_(graph), runner_(runner), settings_(settings),
      observers_(std::move(observers)) {}

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

/// The bookkeeping of one phase in flight: running tasks by child id.
struct Flight {
  std::map<int, std::unique_ptr<LayerTask>> running;
  bool stopping = false;
  bool clean = true;  ///< no failure, refusal, pending gate or interrupt
};

using Steady = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kTickEvery{1000};

/// How long to wait for the next event before the next tick is due (never negative: the real
/// runner reads a negative timeout as no limit).
std::chrono::milliseconds time_until(Steady::time_point when) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(when - Steady::now());
  return std::max(left, std::chrono::milliseconds(0));
}

bool stops_run(Outcome o) {
  return o == Outcome::Failed || o == Outcome::Refused || o == Outcome::Interrupted;
}

std::function<double()> clock_of(const ExecOptions& options) {
  if (options.clock) return options.clock;
  return [] { return std::chrono::duration<double>(Steady::now().time_since_epoch()).count(); };
}

}  // namespace

// Phase loop: (1) start ready layers up to the parallelism bound, (2) wait for one event,
// (3) advance the task it concerns or forward the interrupt; until nothing runs or can start.
bool Executor::run_phase(const Phase& phase, const ExecOptions& options, RunResult& out) {
  const bool destroy = phase.action == Action::Destroy;
  Schedule schedule(graph_, phase.layers, phase.direction(), options.weights,
                    options.parallelism <= 1, phase.unordered);
  Flight f;
  Steady::time_point next_tick = Steady::now() + kTickEvery;
  const bool keep_going = options.keep_going && !destroy;
  LayerTimer timer(options.layer_timeout, clock_of(options));

  // Finishes a task: schedule bookkeeping, observers, and the stop decision.
  auto complete = [&](const LayerResult& r) {
    timer.finished(r.layer);
    bool ok = r.outcome == Outcome::Ok || r.outcome == Outcome::Skipped;
    schedule.finish(r.layer, ok);
    notify([&](RunObserver& o) { o.layer_finished(r); });
    out.layers.push_back(r);
    if (!ok) f.clean = false;
    if (stops_run(r.outcome) && !keep_going) f.stopping = true;
  };
  // Starts the task's next child, or completes it when it has none.
  auto advance = [&](std::unique_ptr<LayerTask> task) {
    while (auto spec = task->next()) {
      int id = runner_.start(*spec);
      f.running.emplace(id, std::move(task));
      return;
    }
    complete(task->result());
  };

  for (;;) {
    while (!f.stopping && !observer_error_ && runner_.running() < std::max<std::size_t>(1, options.parallelism)) {
      auto layer = schedule.next_ready();
      if (!layer) break;
      schedule.start(*layer);
      notify([&](RunObserver& o) { o.layer_started(*layer, phase.action); });
      timer.started(*layer);
      advance(std::make_unique<LayerTask>(stack_, *layer, phase.action, settings_));
    }
    if (f.running.empty()) break;
    RunnerEvent ev = runner_.wait(timer.wait_limit(time_until(next_tick)));
    // Ticks keep a progress display current even when children end more often than once a
    // second (plan, show and apply are separate children).
    if (Steady::now() >= next_tick) {
      next_tick = Steady::now() + kTickEvery;
      notify([](RunObserver& o) { o.tick(); });
    }
    timer.enforce(f.running, runner_);
    if (ev.type == RunnerEvent::Type::Interrupt) {
      ++out.interrupts;
      f.stopping = true;
      f.clean = false;
      for (auto& [id, task] : f.running) task->mark_interrupted();
      notify([&](RunObserver& o) { o.interrupted(ev.signal, out.interrupts); });
      runner_.signal_all(out.interrupts >= 3 ? SIGKILL : SIGINT);
    } else {
      auto it = f.running.find(ev.result.id);
      if (it == f.running.end()) continue;
      std::unique_ptr<LayerTask> task = std::move(it->second);
      f.running.erase(it);
      task->on_exit(ev.result);
      // A layer stopped for its timeout fails, unless its last step ended it well anyway.
      auto late = timer.timed_out(task->result().layer);
      if (late && !(task->finished() && task->result().outcome == Outcome::Ok)) {
        complete(timed_out_result(task->result(), ev.result, *late));
        continue;
      }
      if (f.stopping && !task->finished() && out.interrupts > 0) task->mark_interrupted();
      advance(std::move(task));
    }
  }

  // Everything selected that never started is reported as not run.
  for (std::size_t layer : phase.layers) {
    LayerState st = schedule.state(layer);
    if (st == LayerState::Waiting || st == LayerState::Ready || st == LayerState::Blocked) {
      LayerResult r;
      r.layer = layer;
      r.action = phase.action;
      r.outcome = Outcome::NotRun;
      r.message = st == LayerState::Blocked ? "not started: a layer it needs did not succeed"
                                            : "not started: the run stopped";
      out.layers.push_back(r);
      f.clean = false;
    }
  }
  return f.clean;
}

}  // namespace stackctl
