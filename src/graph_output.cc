#include <iostream>
#include <sstream>

#include "stackctl/commands.h"

namespace stackctl {

namespace {

struct View {
  std::vector<std::size_t> nodes;
  std::vector<std::pair<std::size_t, std::size_t>> edges;  ///< (dependency, dependent)
};

View graph_view(const Workspace& ws, const SelectionOptions& sel) {
  View v;
  v.nodes = select_layers(ws.stack(), ws.graph(), sel, Direction::Apply);
  std::vector<bool> in(ws.stack().size(), false);
  for (std::size_t i : v.nodes) in[i] = true;
  for (std::size_t i : v.nodes)
    for (std::size_t d : ws.graph().deps(i))
      if (in[d]) v.edges.emplace_back(d, i);
  return v;
}

std::string dot(const Workspace& ws, const View& v) {
  const Stack& s = ws.stack();
  std::ostringstream o;
  o << "digraph stackctl {\n  rankdir=LR;\n  node [shape=box];\n";
  for (std::size_t i : v.nodes) {
    o << "  \"" << s.layer(i).name << "\"";
    if (s.protect[i] != Protect::None) o << " [style=bold, color=red, xlabel=\"" << to_string(s.protect[i]) << "\"]";
    else if (ws.pins()[i].pinned) o << " [color=orange, xlabel=\"pinned\"]";
    else if (s.layer(i).kind == LayerKind::Manual) o << " [shape=hexagon]";
    o << ";\n";
  }
  for (auto [a, b] : v.edges) o << "  \"" << s.layer(a).name << "\" -> \"" << s.layer(b).name << "\";\n";
  o << "}\n";
  return o.str();
}

std::string mermaid(const Workspace& ws, const View& v) {
  const Stack& s = ws.stack();
  std::ostringstream o;
  o << "graph LR\n";
  for (std::size_t i : v.nodes) {
    bool manual = s.layer(i).kind == LayerKind::Manual;
    o << "  n" << i << (manual ? "{{\"" : "[\"") << s.layer(i).name << (manual ? "\"}}" : "\"]") << "\n";
  }
  for (auto [a, b] : v.edges) o << "  n" << a << " --> n" << b << "\n";
  for (std::size_t i : v.nodes)
    if (s.protect[i] != Protect::None) o << "  style n" << i << " stroke:#c00,stroke-width:3px\n";
  return o.str();
}

std::string json(const Workspace& ws, const View& v) {
  const Stack& s = ws.stack();
  nlohmann::json nodes = nlohmann::json::array(), edges = nlohmann::json::array();
  for (std::size_t i : v.nodes) {
    const Layer& l = s.layer(i);
    nodes.push_back({{"name", l.name}, {"tier", l.tier}, {"kind", to_string(l.kind)},
                     {"protect", to_string(s.protect[i])}, {"pinned", ws.pins()[i].pinned}});
  }
  for (auto [a, b] : v.edges) edges.push_back({{"from", s.layer(a).name}, {"to", s.layer(b).name}});
  return nlohmann::json{{"env", s.env.name}, {"nodes", nodes}, {"edges", edges}}.dump(2) + "\n";
}

}  // namespace

int print_graph(const Context& ctx, const std::string& env, const SelectionOptions& sel,
                const std::string& format) {
  auto ws = Workspace::open(ctx.where);
  ws->select_env(env);
  View v = graph_view(*ws, sel);
  std::cout << (format == "mermaid" ? mermaid(*ws, v) : format == "json" ? json(*ws, v) : dot(*ws, v));
  return 0;
}

}  // namespace stackctl
