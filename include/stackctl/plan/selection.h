#pragma once
/// Selection flags (docs/contract.md, Selection) turned into the set of layers a command acts on.
#include <cstddef>
#include <string>
#include <vector>

#include "stackctl/manifest/env.h"
#include "stackctl/manifest/graph.h"

namespace stackctl {

/// The selection flags exactly as the user gave them.
struct SelectionOptions {
  std::string up_to;                 ///< --up-to L
  std::string from;                  ///< --from L
  std::vector<std::string> only;     ///< --only L[,L...] (repeatable; commas already split)
  std::vector<std::string> target;   ///< --target L (repeatable)
  std::vector<std::string> exclude;  ///< --exclude L (repeatable)
  std::vector<std::string> tiers;    ///< --tier T (repeatable)
  std::vector<std::string> changed;  ///< layers chosen by --changed (computed by the caller)
  bool use_changed = false;          ///< --changed
  std::string changed_base;          ///< --base REF (with --changed); empty: the merge base
  bool with_dependents = false;      ///< --with-dependents (with --changed)

  /// True when no flag narrows the selection.
  bool empty() const;
};

enum class Direction { Apply, Destroy };

/// The enabled layers a command acts on, as manifest positions in manifest order.
/// Flags intersect; for Destroy, --only adds the enabled dependents of the named layers.
/// Throws Error(Usage) naming an unknown layer or tier, or a disabled layer named explicitly.
std::vector<std::size_t> select_layers(const Stack& stack, const Graph& g,
                                       const SelectionOptions& opts, Direction dir);

}  // namespace stackctl
