// The run's bookkeeping: per-layer state, unfinished prerequisite counts and an ordered ready set.
//
// Preference among ready layers is fixed up front: every selected layer gets a rank (critical
// path first, or manifest order in strict mode), and the ready set is an ordered set of ranks,
// so next_ready() is O(1) and start/finish/skip are O(log n) plus the edges they touch.
#include "stackctl/executor/schedule.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <unordered_set>

namespace stackctl {

namespace {

/// The usable weight of a layer: 1.0 when unknown, missing, negative or not finite.
double weight_of(const std::vector<double>& weight, std::size_t i) {
  if (i >= weight.size()) return 1.0;
  double w = weight[i];
  return std::isfinite(w) && w >= 0.0 ? w : 1.0;
}

}  // namespace

Schedule::Schedule(const Graph& g, const std::vector<std::size_t>& selected, Direction dir,
                   const std::vector<double>& weight, bool strict_order, bool unordered)
    : g_(g),
      dir_(dir),
      unordered_(unordered),
      in_sel_(g.size(), false),
      state_(g.size(), LayerState::Waiting),
      pending_(g.size(), 0),
      priority_(g.size(), 0.0),
      rank_(g.size(), 0) {
  for (std::size_t s : selected) {
    if (s >= g.size()) {
      throw std::invalid_argument("schedule: layer position " + std::to_string(s) +
                                  " is outside the graph");
    }
    in_sel_[s] = true;
  }
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (in_sel_[i]) selected_.push_back(i);
  }
  for (std::size_t i : selected_) {
    for (std::size_t p : prerequisites(i)) {
      if (in_sel_[p]) ++pending_[i];
    }
  }
  compute_priorities(weight);
  rank_layers(strict_order);
  for (std::size_t i : selected_) {
    if (pending_[i] == 0) make_ready(i);
  }
}

const std::vector<std::size_t>& Schedule::prerequisites(std::size_t layer) const {
  static const std::vector<std::size_t> kNone;
  if (unordered_) return kNone;
  return dir_ == Direction::Apply ? g_.deps(layer) : g_.dependents(layer);
}

const std::vector<std::size_t>& Schedule::followers(std::size_t layer) const {
  static const std::vector<std::size_t> kNone;
  if (unordered_) return kNone;
  return dir_ == Direction::Apply ? g_.dependents(layer) : g_.deps(layer);
}

std::vector<std::size_t> Schedule::topological_order() const {
  // Kahn's algorithm over the selected subgraph; layers on a cycle are left out.
  std::vector<std::size_t> waiting = pending_;
  std::vector<std::size_t> order;
  order.reserve(selected_.size());
  for (std::size_t i : selected_) {
    if (waiting[i] == 0) order.push_back(i);
  }
  for (std::size_t k = 0; k < order.size(); ++k) {
    for (std::size_t f : followers(order[k])) {
      if (in_sel_[f] && --waiting[f] == 0) order.push_back(f);
    }
  }
  return order;
}

void Schedule::compute_priorities(const std::vector<double>& weight) {
  // Followers come later in topological order, so a reverse sweep sees them finished.
  for (std::size_t i : selected_) priority_[i] = weight_of(weight, i);
  std::vector<std::size_t> order = topological_order();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    double longest = 0.0;
    for (std::size_t f : followers(*it)) {
      if (in_sel_[f]) longest = std::max(longest, priority_[f]);
    }
    priority_[*it] = weight_of(weight, *it) + longest;
  }
}

void Schedule::rank_layers(bool strict_order) {
  // Manifest order for Apply, reverse manifest order for Destroy.
  const bool forward = dir_ == Direction::Apply;
  auto earlier = [forward](std::size_t a, std::size_t b) { return forward ? a < b : a > b; };
  by_rank_ = selected_;
  if (strict_order) {
    std::sort(by_rank_.begin(), by_rank_.end(), earlier);
  } else {
    std::sort(by_rank_.begin(), by_rank_.end(), [&](std::size_t a, std::size_t b) {
      if (priority_[a] != priority_[b]) return priority_[a] > priority_[b];
      return earlier(a, b);
    });
  }
  for (std::size_t r = 0; r < by_rank_.size(); ++r) rank_[by_rank_[r]] = r;
}

void Schedule::make_ready(std::size_t layer) {
  state_[layer] = LayerState::Ready;
  ready_.insert(rank_[layer]);
}

std::optional<std::size_t> Schedule::next_ready() const {
  if (ready_.empty()) return std::nullopt;
  return by_rank_[*ready_.begin()];
}

void Schedule::start(std::size_t layer) {
  if (state(layer) != LayerState::Ready) {
    throw std::logic_error("schedule: layer " + std::to_string(layer) + " is not ready");
  }
  ready_.erase(rank_[layer]);
  state_[layer] = LayerState::Running;
  ++running_;
}

void Schedule::finish(std::size_t layer, bool ok) {
  if (state(layer) != LayerState::Running) {
    throw std::logic_error("schedule: layer " + std::to_string(layer) + " is not running");
  }
  --running_;
  ++finished_;
  state_[layer] = ok ? LayerState::Succeeded : LayerState::Failed;
  if (ok) {
    release_followers(layer);
  } else {
    block_followers(layer);
  }
}

void Schedule::skip(std::size_t layer) {
  LayerState s = state(layer);
  bool chosen = layer < in_sel_.size() && in_sel_[layer];
  if (!chosen || (s != LayerState::Ready && s != LayerState::Waiting)) {
    throw std::logic_error("schedule: layer " + std::to_string(layer) + " cannot be skipped");
  }
  if (s == LayerState::Ready) ready_.erase(rank_[layer]);
  state_[layer] = LayerState::Skipped;
  ++finished_;
  // A skipped waiting layer releases its followers only once its own prerequisites are done.
  if (pending_[layer] == 0) release_followers(layer);
}

void Schedule::release_followers(std::size_t layer) {
  // Skipped layers whose last prerequisite just finished pass the release on.
  std::vector<std::size_t> stack{layer};
  while (!stack.empty()) {
    std::size_t done = stack.back();
    stack.pop_back();
    for (std::size_t f : followers(done)) {
      if (!in_sel_[f] || --pending_[f] != 0) continue;
      if (state_[f] == LayerState::Waiting) make_ready(f);
      if (state_[f] == LayerState::Skipped) stack.push_back(f);
    }
  }
}

void Schedule::block_followers(std::size_t layer) {
  // Walks through skipped layers too: what follows them still waited for the failed layer.
  // The walk costs what it visits (no per-failure array over the whole graph), so a keep-going
  // run with many failures stays linear.
  std::unordered_set<std::size_t> seen;
  std::vector<std::size_t> stack{layer};
  while (!stack.empty()) {
    std::size_t from = stack.back();
    stack.pop_back();
    for (std::size_t f : followers(from)) {
      if (!in_sel_[f] || !seen.insert(f).second) continue;
      LayerState s = state_[f];
      if (s == LayerState::Ready) ready_.erase(rank_[f]);
      if (s == LayerState::Ready || s == LayerState::Waiting) {
        state_[f] = LayerState::Blocked;
        ++finished_;
        stack.push_back(f);
      } else if (s == LayerState::Skipped) {
        stack.push_back(f);
      }
    }
  }
}

std::vector<double> weights_with_estimates(const std::vector<std::optional<double>>& known) {
  std::vector<double> durations;
  for (const auto& k : known)
    if (k && std::isfinite(*k) && *k >= 0.0) durations.push_back(*k);
  double estimate = 1.0;
  if (!durations.empty()) {
    std::sort(durations.begin(), durations.end());
    const std::size_t mid = durations.size() / 2;
    estimate =
        durations.size() % 2 == 1 ? durations[mid] : (durations[mid - 1] + durations[mid]) / 2;
  }
  std::vector<double> out;
  out.reserve(known.size());
  for (const auto& k : known) out.push_back(k && std::isfinite(*k) && *k >= 0.0 ? *k : estimate);
  return out;
}

bool Schedule::idle() const { return ready_.empty() && running_ == 0; }

bool Schedule::complete() const { return finished_ == selected_.size(); }

LayerState Schedule::state(std::size_t layer) const {
  return layer < state_.size() ? state_[layer] : LayerState::Waiting;
}

}  // namespace stackctl
