// Selection flags (docs/contract.md, Selection) turned into the manifest positions a command acts
// on.
//
// Every flag yields a mask over the manifest; masks intersect, starting from the enabled layers,
// and --exclude subtracts last. Every name is checked before anything is computed, so a typo is
// always reported, even when another flag already narrows the result to nothing.
#include "stackctl/plan/selection.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

#include "stackctl/util/error.h"
#include "stackctl/util/suggest.h"

namespace stackctl {

bool SelectionOptions::empty() const {
  return up_to.empty() && from.empty() && only.empty() && target.empty() && exclude.empty() &&
         tiers.empty() && !use_changed;
}

namespace {

/// Name lookups against one stack, with the usage errors the user sees.
class Names {
 public:
  explicit Names(const Stack& stack) : stack_(stack) {}

  /// Position of a layer; unknown names are a usage error with a did-you-mean.
  std::size_t layer(const std::string& name) const {
    const Manifest& m = *stack_.manifest;
    auto it = m.index.find(name);
    if (it != m.index.end() && it->second < stack_.size()) return it->second;
    std::vector<std::string> known;
    known.reserve(m.layers.size());
    for (const Layer& l : m.layers) known.push_back(l.name);
    throw usage_error("unknown layer '" + name + "'" + did_you_mean(name, known));
  }

  /// Position of a layer that must be enabled because the user asked to act on it.
  std::size_t enabled_layer(const std::string& name) const {
    std::size_t i = layer(name);
    if (!stack_.enabled[i]) {
      throw usage_error("layer '" + name + "' is not enabled in env '" + stack_.env.name + "'");
    }
    return i;
  }

  /// Checks a tier name against the manifest's tiers (or, without a `tiers:` list, the tiers
  /// its layers use).
  void tier(const std::string& name) const {
    std::vector<std::string> known = tiers();
    if (std::find(known.begin(), known.end(), name) != known.end()) return;
    std::string message = "unknown tier '" + name + "'" + did_you_mean(name, known);
    if (known.empty()) throw usage_error(message + "; the manifest declares no tiers");
    std::string list;
    for (const std::string& t : known) list += (list.empty() ? "" : ", ") + t;
    throw usage_error(message + "; tiers: " + list);
  }

 private:
  std::vector<std::string> tiers() const {
    const Manifest& m = *stack_.manifest;
    if (!m.tiers.empty()) return m.tiers;
    std::vector<std::string> used;
    for (const Layer& l : m.layers) {
      if (!l.tier.empty() && std::find(used.begin(), used.end(), l.tier) == used.end()) {
        used.push_back(l.tier);
      }
    }
    return used;
  }

  const Stack& stack_;
};

void intersect(std::vector<bool>& keep, const std::vector<bool>& mask) {
  for (std::size_t i = 0; i < keep.size(); ++i) keep[i] = keep[i] && mask[i];
}

/// --up-to L / --from L: the positions through L, or from L on.
///
/// The boundary may be a layer the env does not enable: it still marks a place in the one
/// manifest order all envs share, so a script can pass the same `--up-to nat` to every env and
/// get, in an env without nat, everything that would come before it. Disabled layers inside the
/// range are left out as always.
std::vector<bool> range_mask(std::size_t n, std::size_t boundary, bool through) {
  std::vector<bool> mask(n, false);
  for (std::size_t i = 0; i < n; ++i) mask[i] = through ? i <= boundary : i >= boundary;
  return mask;
}

/// --only: exactly the named (enabled) layers; for Destroy also everything depending on them,
/// since dependents must go first.
std::vector<bool> only_mask(const Names& names, const Graph& g, const SelectionOptions& opts,
                            Direction dir) {
  std::vector<std::size_t> roots;
  for (const std::string& name : opts.only) roots.push_back(names.enabled_layer(name));
  if (dir == Direction::Destroy) return g.closure(roots, /*down=*/true);
  std::vector<bool> mask(g.size(), false);
  for (std::size_t r : roots) mask[r] = true;
  return mask;
}

/// --target: the named (enabled) layers and everything they depend on.
std::vector<bool> target_mask(const Names& names, const Graph& g, const SelectionOptions& opts) {
  std::vector<std::size_t> roots;
  for (const std::string& name : opts.target) roots.push_back(names.enabled_layer(name));
  return g.closure(roots, /*down=*/false);
}

/// --tier: the layers of the named tiers.
std::vector<bool> tier_mask(const Names& names, const Stack& stack, const SelectionOptions& opts) {
  for (const std::string& t : opts.tiers) names.tier(t);
  std::unordered_set<std::string> wanted(opts.tiers.begin(), opts.tiers.end());
  std::vector<bool> mask(stack.size(), false);
  for (std::size_t i = 0; i < stack.size(); ++i) mask[i] = wanted.count(stack.layer(i).tier) > 0;
  return mask;
}

/// --changed: the layers the caller found changed; a changed layer the env does not enable is
/// simply not selected.
std::vector<bool> changed_mask(const Names& names, std::size_t n, const SelectionOptions& opts) {
  std::vector<bool> mask(n, false);
  for (const std::string& name : opts.changed) mask[names.layer(name)] = true;
  return mask;
}

/// --exclude: the named layers leave the selection (naming a disabled one is harmless). For
/// Destroy, what an excluded layer depends on stays too: destroying it would break the layer the
/// user chose to keep, just as a protected layer pins its dependencies.
std::vector<bool> exclude_mask(const Names& names, const Stack& stack, const Graph& g,
                               const SelectionOptions& opts, Direction dir) {
  std::vector<std::size_t> excluded;
  for (const std::string& name : opts.exclude) excluded.push_back(names.layer(name));
  if (dir == Direction::Apply) {
    std::vector<bool> mask(g.size(), false);
    for (std::size_t e : excluded) mask[e] = true;
    return mask;
  }
  std::vector<std::size_t> kept;
  for (std::size_t e : excluded) {
    if (stack.enabled[e]) kept.push_back(e);
  }
  std::vector<bool> mask = g.closure(kept, /*down=*/false);
  for (std::size_t e : excluded) mask[e] = true;
  return mask;
}

}  // namespace

std::vector<std::size_t> select_layers(const Stack& stack, const Graph& g,
                                       const SelectionOptions& opts, Direction dir) {
  if (stack.manifest == nullptr || stack.size() != g.size() ||
      stack.manifest->layers.size() != g.size()) {
    throw std::invalid_argument(
        "select_layers: the stack and the graph describe different manifests");
  }
  const Names names(stack);
  const std::size_t n = g.size();
  std::vector<bool> keep = stack.enabled;
  if (!opts.up_to.empty()) intersect(keep, range_mask(n, names.layer(opts.up_to), true));
  if (!opts.from.empty()) intersect(keep, range_mask(n, names.layer(opts.from), false));
  if (!opts.only.empty()) intersect(keep, only_mask(names, g, opts, dir));
  if (!opts.target.empty()) intersect(keep, target_mask(names, g, opts));
  if (!opts.tiers.empty()) intersect(keep, tier_mask(names, stack, opts));
  if (opts.use_changed) intersect(keep, changed_mask(names, n, opts));
  if (!opts.exclude.empty()) {
    std::vector<bool> drop = exclude_mask(names, stack, g, opts, dir);
    for (std::size_t i = 0; i < n; ++i) keep[i] = keep[i] && !drop[i];
  }
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < n; ++i) {
    if (keep[i]) out.push_back(i);
  }
  return out;
}

}  // namespace stackctl
