#pragma once
/// The dependency graph of a manifest: edges by position, order, and protection closure.
#include <cstddef>
#include <string>
#include <vector>

#include "stackctl/manifest/manifest.h"

namespace stackctl {

/// Adjacency lists by manifest position. Built once; every query is linear or better.
class Graph {
 public:
  /// Builds edges from depends_on; names that do not resolve are skipped (the loader reports them).
  explicit Graph(const Manifest& manifest);

  std::size_t size() const { return deps_.size(); }
  /// Direct dependencies of layer i (positions).
  const std::vector<std::size_t>& deps(std::size_t i) const { return deps_[i]; }
  /// Direct dependents of layer i (positions).
  const std::vector<std::size_t>& dependents(std::size_t i) const { return dependents_[i]; }

  /// Every layer i depends on, transitively, in manifest order (i excluded).
  std::vector<std::size_t> ancestors(std::size_t i) const;
  /// Every layer that depends on i, transitively, in manifest order (i excluded).
  std::vector<std::size_t> descendants(std::size_t i) const;
  /// Marks roots and everything they depend on (or, with down=true, everything depending on them).
  std::vector<bool> closure(const std::vector<std::size_t>& roots, bool down) const;

  /// A dependency cycle as a list of positions (first == last), or empty when there is none.
  /// Edges to later layers are allowed here so a bad manifest's cycle can be shown whole.
  std::vector<std::size_t> find_cycle() const;

 private:
  std::vector<std::vector<std::size_t>> deps_;
  std::vector<std::vector<std::size_t>> dependents_;
};

/// Why a layer may not be destroyed.
struct PinReason {
  bool pinned = false;
  std::size_t by = 0;  ///< the protected, enabled layer that depends on it (nearest in order)
};

/// For each layer: pinned = it is a transitive dependency of an enabled `data`/`keep` layer.
/// Protected layers themselves are not marked pinned (they are protected).
std::vector<PinReason> pinned_layers(const Graph& g, const std::vector<bool>& enabled,
                                     const std::vector<Protect>& protect);

}  // namespace stackctl
