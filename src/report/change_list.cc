#include "stackctl/report/change_list.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "stackctl/util/terminal_text.h"

namespace stackctl {
namespace fs = std::filesystem;

std::string change_symbol(const std::string& action) {
  if (action == "create") return "+";
  if (action == "update") return "~";
  if (action == "delete") return "-";
  if (action == "replace") return "-/+";
  return action;
}

std::string change_lines(const std::vector<ResourceChange>& changes, std::size_t max_listed,
                         const std::string& indent) {
  std::string out;
  const std::size_t shown = std::min(max_listed, changes.size());
  for (std::size_t i = 0; i < shown; ++i) {
    const ResourceChange& c = changes[i];
    std::string symbol = change_symbol(c.action);
    symbol.resize(std::max<std::size_t>(6, symbol.size()), ' ');
    out += indent + symbol + " " + terminal_safe(c.address);
    if (!c.previous_address.empty()) out += " (from " + terminal_safe(c.previous_address) + ")";
    if (c.importing && c.action != "import") out += " (import)";
    out += "\n";
  }
  if (changes.size() > shown)
    out += indent + "... and " + std::to_string(changes.size() - shown) + " more\n";
  return out;
}

namespace {

// The plan JSON saved for a layer, parsed; nullopt with why when it cannot be read.
std::optional<PlanSummary> saved_plan_json(const fs::path& file, std::string& why) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    why = "no plan JSON " + file.string() + " (plan again with --out-dir to list its resources)";
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string error;
  auto plan = parse_plan_json(text.str(), error);
  if (!plan) why = "cannot read " + file.string() + ": " + error;
  return plan;
}

}  // namespace

std::string saved_plan_changes(const Workspace& ws, const Phase& phase, const fs::path& dir,
                               std::size_t max_listed) {
  if (phase.layers.empty()) return "";
  std::string out = "resource changes in the saved plans:\n", unchanged;
  std::size_t unchanged_count = 0;
  for (std::size_t i : phase.layers) {
    const std::string& name = ws.stack().layer(i).name;
    std::string why;
    auto plan = saved_plan_json(dir / (name + ".json"), why);
    if (!plan) {
      out += "  " + name + ": " + terminal_safe(why) + "\n";
      continue;
    }
    if (!plan->counts.any()) {
      unchanged += (unchanged.empty() ? "" : ", ") + name;
      ++unchanged_count;
      continue;
    }
    std::vector<ResourceChange> all = plan->changes;
    all.insert(all.end(), plan->outputs.begin(), plan->outputs.end());
    out += "  " + name + ": " + changes_text(plan->counts) + "\n" +
           change_lines(all, max_listed, "    ");
  }
  if (unchanged_count > 0)
    out += "  no changes in " + std::to_string(unchanged_count) +
           (unchanged_count == 1 ? " layer: " : " layers: ") + unchanged + "\n";
  return out;
}

std::string planned_changes(const Stack& stack, const std::vector<LayerResult>& results,
                            std::size_t max_listed) {
  std::vector<const LayerResult*> rows;
  for (const auto& r : results)
    if (r.outcome == Outcome::Ok && r.changes_known && r.changes.any()) rows.push_back(&r);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const LayerResult* a, const LayerResult* b) { return a->layer < b->layer; });
  std::string out;
  for (const LayerResult* r : rows) {
    const std::string& name = stack.layer(r->layer).name;
    out += "  " + name + ": " + changes_text(r->changes) + "\n";
    out += change_lines(r->resource_changes, max_listed, "    ");
  }
  return out.empty() ? out : "\nresource changes:\n" + out;
}

}  // namespace stackctl
