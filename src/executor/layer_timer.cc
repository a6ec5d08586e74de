#include "layer_timer.h"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <utility>

namespace stackctl {

namespace {

double seconds(std::chrono::milliseconds d) { return static_cast<double>(d.count()) / 1000.0; }

}  // namespace

std::chrono::milliseconds layer_grace(std::chrono::milliseconds limit) {
  return std::clamp(limit / 10, std::chrono::milliseconds(1000), std::chrono::milliseconds(30000));
}

std::string format_limit(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms != 0 && ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms != 0 && ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

LayerResult timed_out_result(const LayerResult& layer, const ChildResult& child,
                             const std::string& message) {
  LayerResult r = layer;
  r.outcome = Outcome::Failed;
  // A layer that ran out of time failed, even when its child still managed to exit 0.
  r.exit_code = child.shell_status() != 0 ? child.shell_status() : 1;
  r.message = message;
  r.tail = child.tail;
  return r;
}

LayerTimer::LayerTimer(std::chrono::milliseconds limit, std::function<double()> clock)
    : limit_(limit), clock_(std::move(clock)) {}

void LayerTimer::started(std::size_t layer) {
  if (limit_.count() > 0) watches_[layer] = Watch{clock_(), -1, false};
}

void LayerTimer::finished(std::size_t layer) { watches_.erase(layer); }

// The next moment something is due for w: its deadline, then the end of its grace period.
double LayerTimer::next_event(const Watch& w) const {
  if (w.interrupted < 0) return w.started + seconds(limit_);
  if (!w.killed) return w.interrupted + seconds(layer_grace(limit_));
  return HUGE_VAL;
}

void LayerTimer::enforce(const std::map<int, std::unique_ptr<LayerTask>>& running,
                         ProcessRunner& runner) {
  if (watches_.empty()) return;
  const double now = clock_();
  for (const auto& [id, task] : running) {
    auto it = watches_.find(task->result().layer);
    if (it == watches_.end() || now < next_event(it->second)) continue;
    Watch& w = it->second;
    if (w.interrupted < 0) {
      w.interrupted = now;
      runner.signal(id, SIGINT);
    } else if (!w.killed) {
      w.killed = true;
      runner.signal(id, SIGKILL);
    }
  }
}

std::chrono::milliseconds LayerTimer::wait_limit(std::chrono::milliseconds cap) const {
  if (watches_.empty()) return cap;
  double next = HUGE_VAL;
  for (const auto& [layer, w] : watches_) next = std::min(next, next_event(w));
  if (next == HUGE_VAL) return cap;
  const double left_ms = std::ceil((next - clock_()) * 1000.0);
  if (left_ms <= 0) return std::chrono::milliseconds(0);
  if (left_ms >= static_cast<double>(cap.count())) return cap;
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(left_ms));
}

std::optional<std::string> LayerTimer::timed_out(std::size_t layer) const {
  auto it = watches_.find(layer);
  if (it == watches_.end() || it->second.interrupted < 0) return std::nullopt;
  std::string message = "timed out after " + format_limit(limit_);
  if (it->second.killed)
    message +=
        "; killed with SIGKILL after a " + format_limit(layer_grace(limit_)) + " grace period";
  return message;
}

}  // namespace stackctl
