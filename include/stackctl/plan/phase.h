#pragma once
/// A phase: one pass of one action over a set of layers. A run is a list of phases (rebuild has
/// two: destroy, then apply); the plan stage decides them, the executor runs them.
#include <cstddef>
#include <utility>
#include <vector>

#include "stackctl/plan/selection.h"
#include "stackctl/runner/terragrunt.h"

namespace stackctl {

/// One pass over a set of layers with one action (rebuild has two: destroy, then apply).
struct Phase {
  Phase(Action a = Action::Apply, std::vector<std::size_t> l = {}, bool any_order = false)
      : action(a), layers(std::move(l)), unordered(any_order) {}
  Action action = Action::Apply;
  std::vector<std::size_t> layers;  ///< manifest positions, manifest order
  bool unordered = false;           ///< no order between the layers (read-only plans)
  /// Destroy and drift: selected layers left out because the journal shows they are not applied
  /// (destroyed since, or never applied while stackctl managed the env). Shown, never run.
  std::vector<std::size_t> not_applied;
  Direction direction() const {
    return action == Action::Destroy ? Direction::Destroy : Direction::Apply;
  }
};

}  // namespace stackctl
