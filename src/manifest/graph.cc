// The dependency graph: adjacency by manifest position, closures, cycle search and pinning.
// Every walk is iterative with an explicit stack, so a 20,000-layer chain cannot overflow the
// call stack, and every walk visits each layer and edge at most once.
#include "stackctl/manifest/graph.h"

#include <algorithm>
#include <utility>

namespace stackctl {

namespace {

using Adjacency = std::vector<std::vector<std::size_t>>;

/// Positions reachable from roots along edges (roots included), marked in a vector.
std::vector<bool> reach(const Adjacency& edges, const std::vector<std::size_t>& roots) {
  const std::size_t n = edges.size();
  std::vector<bool> seen(n, false);
  std::vector<std::size_t> stack;
  for (std::size_t r : roots) {
    if (r < n && !seen[r]) {
      seen[r] = true;
      stack.push_back(r);
    }
  }
  while (!stack.empty()) {
    std::size_t i = stack.back();
    stack.pop_back();
    for (std::size_t j : edges[i]) {
      if (!seen[j]) {
        seen[j] = true;
        stack.push_back(j);
      }
    }
  }
  return seen;
}

/// Positions reachable from i along edges (i excluded), in manifest order.
std::vector<std::size_t> reach_from(const Adjacency& edges, std::size_t i) {
  const std::size_t n = edges.size();
  std::vector<std::size_t> out;
  if (i >= n) return out;
  std::vector<bool> seen(n, false);
  std::vector<std::size_t> stack{i};
  seen[i] = true;
  while (!stack.empty()) {
    std::size_t k = stack.back();
    stack.pop_back();
    for (std::size_t j : edges[k]) {
      if (!seen[j]) {
        seen[j] = true;
        out.push_back(j);
        stack.push_back(j);
      }
    }
  }
  // i itself can be reached again only through a cycle; it is never part of the answer.
  std::sort(out.begin(), out.end());
  return out;
}

/// The cycle closed by the edge top -> target, where target is on the DFS path at index from:
/// path[from..] plus target again, rotated to start at its lowest position.
std::vector<std::size_t> cycle_on_path(const std::vector<std::size_t>& path, std::size_t from) {
  std::vector<std::size_t> cycle(path.begin() + static_cast<std::ptrdiff_t>(from), path.end());
  auto lowest = std::min_element(cycle.begin(), cycle.end());
  std::rotate(cycle.begin(), lowest, cycle.end());
  cycle.push_back(cycle.front());
  return cycle;
}

}  // namespace

Graph::Graph(const Manifest& manifest)
    : deps_(manifest.layers.size()), dependents_(manifest.layers.size()) {
  const std::size_t n = manifest.layers.size();
  // stamp[j] == i + 1 when layer i already has an edge to j: repeated names count once.
  std::vector<std::size_t> stamp(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (const std::string& name : manifest.layers[i].depends_on) {
      auto it = manifest.index.find(name);
      if (it == manifest.index.end() || it->second >= n) continue;
      std::size_t j = it->second;
      if (stamp[j] == i + 1) continue;
      stamp[j] = i + 1;
      deps_[i].push_back(j);
      dependents_[j].push_back(i);
    }
  }
}

std::vector<std::size_t> Graph::ancestors(std::size_t i) const { return reach_from(deps_, i); }

std::vector<std::size_t> Graph::descendants(std::size_t i) const {
  return reach_from(dependents_, i);
}

std::vector<bool> Graph::closure(const std::vector<std::size_t>& roots, bool down) const {
  return reach(down ? dependents_ : deps_, roots);
}

std::vector<std::size_t> Graph::find_cycle() const {
  // Colour-marking DFS along dependency edges, started from each layer in manifest order.
  // on_path[i] is i's index on the current path + 1 (0: not on the path).
  enum : unsigned char { kNew, kOpen, kDone };
  const std::size_t n = size();
  std::vector<unsigned char> colour(n, kNew);
  std::vector<std::size_t> on_path(n, 0);
  std::vector<std::size_t> path;
  std::vector<std::size_t> next_edge;  // per path entry: the next dependency to look at
  for (std::size_t root = 0; root < n; ++root) {
    if (colour[root] != kNew) continue;
    colour[root] = kOpen;
    path.assign(1, root);
    next_edge.assign(1, 0);
    on_path[root] = 1;
    while (!path.empty()) {
      std::size_t top = path.back();
      if (next_edge.back() == deps_[top].size()) {
        colour[top] = kDone;
        on_path[top] = 0;
        path.pop_back();
        next_edge.pop_back();
        continue;
      }
      std::size_t dep = deps_[top][next_edge.back()++];
      if (colour[dep] == kOpen) return cycle_on_path(path, on_path[dep] - 1);
      if (colour[dep] == kDone) continue;
      colour[dep] = kOpen;
      path.push_back(dep);
      next_edge.push_back(0);
      on_path[dep] = path.size();
    }
  }
  return {};
}

std::vector<PinReason> pinned_layers(const Graph& g, const std::vector<bool>& enabled,
                                     const std::vector<Protect>& protect) {
  // Protected roots are walked in manifest order, so the first root to reach a layer is the
  // lowest-positioned (nearest following) protected layer that depends on it. A layer reached
  // once needs no second walk: everything below it was reached by an earlier or equal root.
  const std::size_t n = g.size();
  std::vector<PinReason> pins(n);
  std::vector<bool> seen(n, false);
  std::vector<std::size_t> stack;
  auto is_protected = [&](std::size_t i) {
    return i < protect.size() && protect[i] != Protect::None;
  };
  for (std::size_t root = 0; root < n; ++root) {
    if (!is_protected(root) || root >= enabled.size() || !enabled[root]) continue;
    stack.assign(1, root);
    seen[root] = true;
    while (!stack.empty()) {
      std::size_t i = stack.back();
      stack.pop_back();
      for (std::size_t dep : g.deps(i)) {
        if (seen[dep]) continue;
        seen[dep] = true;
        if (!is_protected(dep)) pins[dep] = PinReason{true, root};
        stack.push_back(dep);
      }
    }
  }
  return pins;
}

}  // namespace stackctl
