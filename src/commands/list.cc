#include <iomanip>
#include <iostream>
#include <sstream>

#include "stackctl/commands/changed.h"
#include "stackctl/commands/commands.h"
#include "stackctl/journal/journal.h"

namespace stackctl {

namespace {

std::string protection_label(const Workspace& ws, std::size_t i) {
  const Stack& s = ws.stack();
  if (s.protect[i] != Protect::None) return to_string(s.protect[i]);
  return ws.pins()[i].pinned ? "pinned" : "-";
}

std::vector<std::size_t> listed_layers(const Workspace& ws, const SelectionOptions& sel) {
  if (!sel.empty()) return select_layers(ws.stack(), ws.graph(), sel, Direction::Apply);
  std::vector<std::size_t> all(ws.stack().size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  return all;
}

}  // namespace

int list_layers(const Context& ctx, const std::string& env, const SelectionOptions& selection,
                bool why) {
  SelectionOptions sel = selection;
  auto changed = resolve_changed(ctx, env, sel);
  if (!changed) return list_layers(ctx, *open_workspace(ctx, env), sel);
  const Workspace& ws = *changed->workspace;
  if (!why) return list_layers(ctx, ws, sel);
  std::cout << why_listing(ws.stack(), ws.graph(), changed->changes, sel, ctx.console.format)
            << std::flush;
  return 0;
}

int list_layers(const Context& ctx, const Workspace& ws, const SelectionOptions& sel) {
  const Stack& s = ws.stack();
  auto last = last_results(read_journal(ws.journal_file()));
  auto layers = listed_layers(ws, sel);
  if (ctx.console.format == OutputFormat::Json) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i : layers) {
      const Layer& l = s.layer(i);
      auto it = last.find(l.name);
      out.push_back({{"name", l.name},
                     {"tier", l.tier},
                     {"kind", to_string(l.kind)},
                     {"protection", protection_label(ws, i)},
                     {"enabled", bool(s.enabled[i])},
                     {"last", it == last.end() ? nlohmann::json(nullptr)
                                               : nlohmann::json{{"action", it->second.action},
                                                                {"result", it->second.result},
                                                                {"time", it->second.time}}}});
    }
    std::cout << out.dump(2) << std::endl;
    return 0;
  }
  std::size_t w = 5, tw = 4;
  for (std::size_t i : layers) {
    w = std::max(w, s.layer(i).name.size());
    tw = std::max(tw, s.layer(i).tier.size());
  }
  std::ostringstream o;
  o << std::left << std::setw(5) << "#" << std::setw(int(w) + 2) << "LAYER"
    << std::setw(int(tw) + 2) << "TIER" << std::setw(12) << "KIND" << std::setw(12) << "PROTECTION"
    << std::setw(9) << "ENABLED"
    << "LAST\n";
  for (std::size_t i : layers) {
    const Layer& l = s.layer(i);
    auto it = last.find(l.name);
    std::string lr = it == last.end()
                         ? "-"
                         : it->second.action + " " + it->second.result + " " + it->second.time;
    o << std::setw(5) << i + 1 << std::setw(int(w) + 2) << l.name << std::setw(int(tw) + 2)
      << (l.tier.empty() ? "-" : l.tier) << std::setw(12) << to_string(l.kind) << std::setw(12)
      << protection_label(ws, i) << std::setw(9) << (s.enabled[i] ? "yes" : "no") << lr << "\n";
  }
  std::cout << o.str();
  return 0;
}

}  // namespace stackctl
