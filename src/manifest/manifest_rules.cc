// Manifest rules that span fields or layers: kinds, paths, and the dependency order.
#include "manifest_rules.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>
#include <utility>

#include "stackctl/manifest/graph.h"

namespace stackctl::manifest_rules {
namespace fs = std::filesystem;
using yaml::quote;

namespace {

/// A resolved depends_on entry: from depends on to, written at line.
struct Edge {
  std::size_t from;
  std::size_t to;
  int line;
};

/// Cycles reported at most; each costs one pass over the graph.
constexpr int kMaxCycles = 20;

std::string shown(const std::string& name) { return valid_layer_name(name) ? name : quote(name); }

/// Resolves depends_on entries to edges, reporting unknown names, self-dependencies and
/// repeated entries into out.
std::vector<Edge> resolve_edges(const Manifest& m, const Lines& lines, const std::string& file,
                                std::vector<Diagnostic>& out) {
  std::vector<std::string> names;
  for (const Layer& l : m.layers) {
    if (valid_layer_name(l.name)) names.push_back(l.name);
  }
  std::vector<Edge> edges;
  yaml::Suggester suggest;
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const Layer& layer = m.layers[i];
    std::unordered_set<std::string> seen;
    for (std::size_t k = 0; k < layer.depends_on.size(); ++k) {
      const std::string& dep = layer.depends_on[k];
      int line = k < lines.depends_on[i].size() ? lines.depends_on[i][k] : layer.line;
      auto found = m.index.find(dep);
      if (!seen.insert(dep).second) {
        out.push_back({Severity::Warning, file, line,
                       label(layer, i) + " lists " + quote(dep) + " twice in 'depends_on'"});
      } else if (found == m.index.end()) {
        out.push_back(
            {Severity::Error, file, line,
             label(layer, i) + " depends on unknown layer " + quote(dep) + suggest(dep, names)});
      } else if (found->second == i) {
        out.push_back({Severity::Error, file, line, label(layer, i) + " depends on itself"});
      } else {
        edges.push_back({i, found->second, line});
      }
    }
  }
  return edges;
}

/// Reports the cycles among edges (each closes through an edge to a later layer) and returns
/// the forward edges that belong to a reported cycle.
std::set<std::pair<std::size_t, std::size_t>> report_cycles(const Manifest& m,
                                                            const std::vector<Edge>& edges,
                                                            const std::string& file,
                                                            std::vector<Diagnostic>& out) {
  // A copy holding only resolved edges, so Graph sees exactly the edges to check.
  Manifest g;
  g.layers.resize(m.layers.size());
  g.index = m.index;
  std::map<std::pair<std::size_t, std::size_t>, int> line_of;
  for (const Edge& e : edges) {
    g.layers[e.from].depends_on.push_back(m.layers[e.to].name);
    line_of.emplace(std::make_pair(e.from, e.to), e.line);
  }
  std::set<std::pair<std::size_t, std::size_t>> in_cycle;
  for (int round = 0; round < kMaxCycles; ++round) {
    std::vector<std::size_t> cycle = Graph(g).find_cycle();
    if (cycle.size() < 2) break;
    // Start at the earliest layer: its edge to the next one necessarily points forward.
    cycle.pop_back();
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
    cycle.push_back(cycle.front());
    std::vector<std::string> names;
    for (std::size_t i = 0; i < cycle.size(); ++i) {
      names.push_back(shown(m.layers[cycle[i]].name));
      if (i > 0 && cycle[i] > cycle[i - 1]) in_cycle.emplace(cycle[i - 1], cycle[i]);
    }
    out.push_back({Severity::Error, file, line_of[{cycle[0], cycle[1]}],
                   "dependency cycle: " + yaml::join(names, " -> ")});
    auto& deps = g.layers[cycle[0]].depends_on;
    deps.erase(std::find(deps.begin(), deps.end(), m.layers[cycle[1]].name));
  }
  return in_cycle;
}

}  // namespace

std::string label(const Layer& layer, std::size_t pos) {
  if (valid_layer_name(layer.name)) return "layer '" + layer.name + "'";
  return "layer #" + std::to_string(pos + 1);
}

void check_kind(const yaml::Node& node, const Layer& layer, const yaml::Reader& r) {
  const yaml::Entry* instructions = node.find("instructions");
  const yaml::Entry* command = node.find("command");
  if (layer.kind == LayerKind::Manual && instructions == nullptr) {
    r.error(layer.line, "kind manual needs 'instructions' (what the operator must do)");
  }
  if (layer.kind != LayerKind::Manual && instructions != nullptr) {
    r.error(instructions->line, "'instructions' is only for kind manual");
  }
  if (layer.kind == LayerKind::Command) {
    if (command == nullptr) {
      r.error(layer.line, "kind command needs a 'command' list (the program and its arguments)");
    } else if (layer.command.empty() && command->value->kind != yaml::Kind::Scalar &&
               command->value->kind != yaml::Kind::Map) {
      r.error(command->line, "'command' is empty (expected the program and its arguments)");
    } else if (!layer.command.empty() && layer.command.front().empty()) {
      r.error(command->line, "'command' starts with an empty program name");
    }
  } else if (command != nullptr) {
    r.error(command->line, "'command' is only for kind command");
  }
}

void check_path(const Layer& layer, int line, const yaml::Reader& r) {
  const std::string& path = layer.path;
  if (path.empty()) {
    r.error(line, "'path' is empty");
    return;
  }
  fs::path p(path);
  if (p.is_absolute() || p.has_root_name() || p.has_root_directory()) {
    r.error(line, "path " + quote(path) + " must be relative to the env folder");
    return;
  }
  fs::path normal = p.lexically_normal();
  if (*normal.begin() == "..") {
    r.error(line, "path " + quote(path) + " leaves the env folder");
  } else if (normal == "." && layer.kind != LayerKind::Command) {
    r.error(line, "path " + quote(path) + " is the env folder itself (name a folder inside it)");
  }
}

void check_paths_unique(const Manifest& m, const Lines& lines, const std::string& file,
                        Diagnostics& diags) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const Layer& layer = m.layers[i];
    if (layer.kind != LayerKind::Terragrunt || layer.path.empty()) continue;
    // A repeated name is already an error; its folder clash would only echo it.
    if (auto named = m.index.find(layer.name); named != m.index.end() && named->second != i) {
      continue;
    }
    std::string key = fs::path(layer.path).lexically_normal().string();
    while (key.size() > 1 && key.back() == '/') key.pop_back();
    auto [it, fresh] = seen.emplace(key, i);
    if (fresh) continue;
    const Layer& first = m.layers[it->second];
    diags.error(file, lines.path[i],
                label(layer, i) + ": path " + quote(layer.path) + " is already the folder of " +
                    label(first, it->second) + " (line " + std::to_string(first.line) + ")");
  }
}

void check_dependencies(const Manifest& m, const Lines& lines, const std::string& file,
                        Diagnostics& diags) {
  std::vector<Diagnostic> found;
  std::vector<Edge> edges = resolve_edges(m, lines, file, found);
  auto in_cycle = report_cycles(m, edges, file, found);
  for (const Edge& e : edges) {
    if (e.to < e.from || in_cycle.count({e.from, e.to}) != 0) continue;
    found.push_back({Severity::Error, file, e.line,
                     label(m.layers[e.from], e.from) + " depends on " + quote(m.layers[e.to].name) +
                         ", which comes later"});
  }
  for (const Diagnostic& d : found) {
    if (d.severity == Severity::Error) {
      diags.error(d.file, d.line, d.message);
    } else {
      diags.warning(d.file, d.line, d.message);
    }
  }
}

}  // namespace stackctl::manifest_rules
