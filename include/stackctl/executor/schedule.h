#pragma once
/// The pure bookkeeping of a run: which selected layers are ready, running, done or blocked.
/// No I/O; the executor drives it (like ninja's Plan).
#include <cstddef>
#include <optional>
#include <set>
#include <vector>

#include "stackctl/manifest/graph.h"
#include "stackctl/plan/selection.h"

namespace stackctl {

enum class LayerState { Waiting, Ready, Running, Succeeded, Failed, Skipped, Blocked };

/// Tracks the selected layers of one phase (apply order or destroy order).
///
/// A layer's prerequisites are its selected dependencies (Apply) or its selected dependents
/// (Destroy); its followers are the reverse. The graph must be acyclic (the manifest loader
/// guarantees it); a layer on a cycle would never become ready.
class Schedule {
 public:
  /// selected: manifest positions; weight: per manifest position, the expected duration used
  /// for critical-path priority (1.0 when unknown, missing, negative or not finite). Only edges
  /// between selected layers count. strict_order (parallelism 1): next_ready() returns the
  /// lowest-positioned ready layer (highest for Destroy), so one layer at a time runs in exactly
  /// manifest order (reversed for Destroy). unordered: no edge counts at all, so every selected
  /// layer is ready at once and a failure blocks nothing (for actions that need no order, such
  /// as plans that only read). Throws std::invalid_argument for a position outside the graph.
  Schedule(const Graph& g, const std::vector<std::size_t>& selected, Direction dir,
           const std::vector<double>& weight, bool strict_order = false, bool unordered = false);

  /// The ready layer to start next: longest remaining critical path first, ties by manifest
  /// order (reverse order for Destroy); in strict order, manifest order alone. nullopt when none
  /// is ready. O(1).
  std::optional<std::size_t> next_ready() const;
  /// Marks a ready layer as running. Throws std::logic_error when the layer is not ready.
  void start(std::size_t layer);
  /// Records the end of a running layer. A failure blocks all its (transitive) followers, which
  /// then never become ready. Throws std::logic_error when the layer is not running.
  void finish(std::size_t layer, bool ok);
  /// Marks a ready or waiting layer as skipped without running it. It counts as success for its
  /// followers once its own prerequisites are done (a skipped layer never lets a follower jump
  /// ahead of the layers it waits for). Throws std::logic_error for any other state.
  void skip(std::size_t layer);
  /// True when nothing is ready or running.
  bool idle() const;
  /// True when every selected layer has reached a final state.
  bool complete() const;
  /// State of a selected layer (Waiting for a layer outside the selection).
  LayerState state(std::size_t layer) const;
  /// Remaining critical path of a selected layer: its weight plus the longest follower path.
  double priority(std::size_t layer) const { return priority_.at(layer); }
  std::size_t running() const { return running_; }
  const std::vector<std::size_t>& selected() const { return selected_; }

 private:
  const std::vector<std::size_t>& prerequisites(std::size_t layer) const;
  const std::vector<std::size_t>& followers(std::size_t layer) const;
  std::vector<std::size_t> topological_order() const;
  void compute_priorities(const std::vector<double>& weight);
  void rank_layers(bool strict_order);
  void make_ready(std::size_t layer);
  void release_followers(std::size_t layer);
  void block_followers(std::size_t layer);

  const Graph& g_;
  Direction dir_;
  bool unordered_ = false;
  std::vector<std::size_t> selected_;  ///< in manifest order, without repeats
  std::vector<bool> in_sel_;
  std::vector<LayerState> state_;
  std::vector<std::size_t> pending_;  ///< unfinished prerequisites per layer
  std::vector<double> priority_;      ///< remaining critical path length
  std::vector<std::size_t> rank_;     ///< per position: place in the start preference order
  std::vector<std::size_t> by_rank_;  ///< rank -> position
  std::set<std::size_t> ready_;       ///< ranks of the ready layers; begin() is next_ready()
  std::size_t running_ = 0;
  std::size_t finished_ = 0;
};

/// Critical-path weights from what the journal knows: known[i] is layer i's expected duration,
/// nullopt when it never ran. A layer that never ran weighs the median of the known durations
/// (a new layer in a stack of 30-second layers is not a 1-second one); when none is known every
/// layer weighs 1.0, so the longest chain is the one with the most layers.
std::vector<double> weights_with_estimates(const std::vector<std::optional<double>>& known);

}  // namespace stackctl
