#pragma once
/// The pure bookkeeping of a run: which selected layers are ready, running, done or blocked.
/// No I/O; the executor drives it (like ninja's Plan).
#include <cstddef>
#include <optional>
#include <vector>

#include "stackctl/graph.h"
#include "stackctl/selection.h"

namespace stackctl {

enum class LayerState { Waiting, Ready, Running, Succeeded, Failed, Skipped, Blocked };

/// Tracks the selected layers of one phase (apply order or destroy order).
class Schedule {
 public:
  /// selected: manifest positions; weight: per manifest position, the expected duration used
  /// for critical-path priority (1.0 when unknown). Only edges between selected layers count.
  Schedule(const Graph& g, const std::vector<std::size_t>& selected, Direction dir,
           const std::vector<double>& weight);

  /// The ready layer to start next: longest remaining critical path first, ties by manifest
  /// order (reverse order for Destroy). nullopt when none is ready.
  std::optional<std::size_t> next_ready() const;
  /// Marks a ready layer as running.
  void start(std::size_t layer);
  /// Records the end of a running layer. A failure blocks all its (transitive) followers.
  void finish(std::size_t layer, bool ok);
  /// Marks a ready or waiting layer as skipped without running it (counts as success for followers).
  void skip(std::size_t layer);
  /// True when nothing is ready or running.
  bool idle() const;
  /// True when every selected layer has reached a final state.
  bool complete() const;
  LayerState state(std::size_t layer) const;
  std::size_t running() const { return running_; }
  const std::vector<std::size_t>& selected() const { return selected_; }

 private:
  void release_followers(std::size_t layer);
  void block_followers(std::size_t layer);

  const Graph& g_;
  Direction dir_;
  std::vector<std::size_t> selected_;
  std::vector<bool> in_sel_;
  std::vector<LayerState> state_;
  std::vector<std::size_t> pending_;   ///< unfinished prerequisites per layer
  std::vector<double> priority_;       ///< remaining critical path length
  std::vector<std::size_t> ready_;     ///< ready layers (unordered; next_ready picks)
  std::size_t running_ = 0;
  std::size_t finished_ = 0;
};

}  // namespace stackctl
