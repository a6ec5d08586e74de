#include <iostream>
#include <sstream>

#include "stackctl/commands/changed.h"
#include "stackctl/commands/commands.h"

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

// How a layer is drawn: its protection class (data and keep are protected, pinned layers are
// what a protected layer depends on), or plain.
enum class Look { Plain, Data, Keep, Pinned };

Look look_of(const Workspace& ws, std::size_t i) {
  switch (ws.stack().protect[i]) {
    case Protect::Data:
      return Look::Data;
    case Protect::Keep:
      return Look::Keep;
    default:
      return ws.pins()[i].pinned ? Look::Pinned : Look::Plain;
  }
}

struct LookStyle {
  Look look;
  const char* name;     ///< class name, and the word shown beside the layer
  const char* meaning;  ///< legend text
  const char* dot;      ///< DOT node attributes
  const char* mermaid;  ///< Mermaid classDef body
};

// Each class once: a fill and a border colour of its own, so the three read apart in colour,
// and a line style (bold, double, dashed) so they read apart in black and white too.
const LookStyle kLooks[] = {
    {Look::Data, "data", "data: holds user data; never destroyed",
     "style=\"filled,bold\", fillcolor=\"#f8d7da\", color=\"#b00020\", penwidth=3",
     "fill:#f8d7da,stroke:#b00020,stroke-width:3px"},
    {Look::Keep, "keep", "keep: costly to recreate; never destroyed",
     "style=\"filled\", fillcolor=\"#fff3cd\", color=\"#8a6d00\", peripheries=2",
     "fill:#fff3cd,stroke:#8a6d00,stroke-width:2px"},
    {Look::Pinned, "pinned", "pinned: a data or keep layer depends on it; never destroyed",
     "style=\"dashed\", color=\"#1f4e9e\", penwidth=2",
     "fill:#e7efff,stroke:#1f4e9e,stroke-width:2px,stroke-dasharray:5 5"},
};

const LookStyle* style_of(Look look) {
  for (const auto& st : kLooks)
    if (st.look == look) return &st;
  return nullptr;
}

// The classes that occur among the view's nodes, in legend order.
std::vector<const LookStyle*> looks_used(const Workspace& ws, const View& v) {
  std::vector<const LookStyle*> out;
  for (const auto& st : kLooks)
    for (std::size_t i : v.nodes)
      if (look_of(ws, i) == st.look) {
        out.push_back(&st);
        break;
      }
  return out;
}

std::string dot(const Workspace& ws, const View& v) {
  const Stack& s = ws.stack();
  std::ostringstream o;
  o << "digraph stackctl {\n  rankdir=LR;\n  node [shape=box];\n";
  for (std::size_t i : v.nodes) {
    const LookStyle* st = style_of(look_of(ws, i));
    std::string attrs = st ? std::string(st->dot) + ", xlabel=\"" + st->name + "\"" : "";
    if (s.layer(i).kind == LayerKind::Manual)
      attrs += std::string(attrs.empty() ? "" : ", ") + "shape=hexagon";
    o << "  \"" << s.layer(i).name << "\"";
    if (!attrs.empty()) o << " [" << attrs << "]";
    o << ";\n";
  }
  for (auto [a, b] : v.edges)
    o << "  \"" << s.layer(a).name << "\" -> \"" << s.layer(b).name << "\";\n";
  auto used = looks_used(ws, v);
  if (!used.empty()) {
    o << "  subgraph cluster_legend {\n    label=\"legend\";\n    style=dotted;\n";
    for (const LookStyle* st : used)
      o << "    \"legend: " << st->name << "\" [label=\"" << st->meaning << "\", " << st->dot
        << "];\n";
    o << "  }\n";
  }
  o << "}\n";
  return o.str();
}

std::string mermaid(const Workspace& ws, const View& v) {
  const Stack& s = ws.stack();
  std::ostringstream o;
  o << "graph LR\n";
  for (std::size_t i : v.nodes) {
    const LookStyle* st = style_of(look_of(ws, i));
    const bool manual = s.layer(i).kind == LayerKind::Manual;
    const std::string label = s.layer(i).name + (st ? std::string(" (") + st->name + ")" : "");
    o << "  n" << i << (manual ? "{{\"" : "[\"") << label << (manual ? "\"}}" : "\"]") << "\n";
  }
  for (auto [a, b] : v.edges) o << "  n" << a << " --> n" << b << "\n";
  auto used = looks_used(ws, v);
  for (const LookStyle* st : used) o << "  classDef " << st->name << " " << st->mermaid << "\n";
  for (const LookStyle* st : used) {
    std::string members;
    for (std::size_t i : v.nodes)
      if (look_of(ws, i) == st->look) members += (members.empty() ? "n" : ",n") + std::to_string(i);
    o << "  class " << members << " " << st->name << "\n";
  }
  if (!used.empty()) {
    o << "  subgraph legend [legend]\n";
    for (const LookStyle* st : used)
      o << "    legend_" << st->name << "[\"" << st->meaning << "\"]:::" << st->name << "\n";
    o << "  end\n";
  }
  return o.str();
}

std::string json(const Workspace& ws, const View& v) {
  const Stack& s = ws.stack();
  nlohmann::json nodes = nlohmann::json::array(), edges = nlohmann::json::array();
  for (std::size_t i : v.nodes) {
    const Layer& l = s.layer(i);
    nodes.push_back({{"name", l.name},
                     {"tier", l.tier},
                     {"kind", to_string(l.kind)},
                     {"protect", to_string(s.protect[i])},
                     {"pinned", ws.pins()[i].pinned}});
  }
  for (auto [a, b] : v.edges) edges.push_back({{"from", s.layer(a).name}, {"to", s.layer(b).name}});
  return nlohmann::json{{"env", s.env.name}, {"nodes", nodes}, {"edges", edges}}.dump(2) + "\n";
}

}  // namespace

int print_graph(const Context& ctx, const std::string& env, const SelectionOptions& selection,
                const std::string& format) {
  SelectionOptions sel = selection;
  auto changed = resolve_changed(ctx, env, sel);
  return print_graph(ctx, changed ? *changed->workspace : *open_workspace(ctx, env), sel, format);
}

int print_graph(const Context&, const Workspace& ws, const SelectionOptions& sel,
                const std::string& format) {
  View v = graph_view(ws, sel);
  std::cout << (format == "mermaid" ? mermaid(ws, v) : format == "json" ? json(ws, v) : dot(ws, v));
  return 0;
}

}  // namespace stackctl
