#include "stackctl/journal/plan_stream.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace stackctl {

using nlohmann::json;

namespace {

// The string at obj[key], or "" when it is missing or not a string.
std::string text_at(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The counts one planned change adds, as parse_plan_json's count() adds them for the show's
// change.actions. The stream names one action per resource: "replace" for both orders,
// "remove" for a forget, "move" and "import" only when nothing else changes (the previous
// address and the import still come with any other action).
bool count_change(const json& change, PlanSummary& s, std::string& error) {
  const json& resource = change.contains("resource") && change["resource"].is_object()
                             ? change["resource"]
                             : json::object();
  const std::string address = text_at(resource, "addr");
  const std::string action = text_at(change, "action");
  if (address.empty() || action.empty()) {
    error = "plan stream has a planned_change without resource.addr or action";
    return false;
  }
  // "data.T.N" within its module: a data source changes nothing that exists.
  if (text_at(resource, "resource").rfind("data.", 0) == 0) {
    if (action == "read") ++s.counts.reads;
    return true;
  }
  ResourceChange rc;
  rc.address = address;
  rc.importing = change.contains("importing") && !change["importing"].is_null();
  auto previous = change.find("previous_resource");
  if (previous != change.end() && previous->is_object() && text_at(*previous, "addr") != address)
    rc.previous_address = text_at(*previous, "addr");
  if (action == "create") {
    ++s.counts.add;
    rc.action = "create";
  } else if (action == "update") {
    ++s.counts.change;
    rc.action = "update";
  } else if (action == "delete") {
    ++s.counts.destroy;
    rc.action = "delete";
    s.deletions.push_back({address, "delete", {"delete"}});
  } else if (action == "replace") {
    ++s.counts.add;
    ++s.counts.destroy;
    ++s.counts.replace;
    rc.action = "replace";
    s.deletions.push_back({address, "replace", {}});  // the stream does not say which comes first
  } else if (action == "remove") {
    ++s.counts.forgets;
    rc.action = "forget";
  } else if (action == "read") {
    ++s.counts.reads;
  } else if (action != "move" && action != "import") {
    error = "plan stream does not say what the plan does to " + address + " (action \"" + action +
            "\")";
    return false;
  }
  if (rc.importing) ++s.counts.imports;
  if (!rc.previous_address.empty()) ++s.counts.moves;
  if (rc.action.empty() && rc.importing) rc.action = "import";
  if (rc.action.empty() && !rc.previous_address.empty()) rc.action = "move";
  if (!rc.action.empty()) s.changes.push_back(std::move(rc));
  return true;
}

// The root outputs that change ("noop" does not), by name as the show lists them.
bool read_outputs(const json& outputs, PlanSummary& s, std::string& error) {
  if (!outputs.is_object()) {
    error = "plan stream outputs is not an object";
    return false;
  }
  for (const auto& [name, entry] : outputs.items()) {
    const std::string action = entry.is_object() ? text_at(entry, "action") : "";
    if (action.empty()) {
      error = "plan stream output " + name + " has no action";
      return false;
    }
    if (action == "noop") continue;
    ++s.counts.outputs;
    s.outputs.push_back({"output." + name,
                         action == "create" || action == "delete" ? action : "update", "", false});
  }
  return true;
}

// The change_summary's counts against the ones the planned changes add up to: a line lost on
// the way would otherwise hide a deletion from the plan guard.
bool adds_up(const json& changes, const ChangeCounts& c, std::string& error) {
  auto n = [&changes](const char* key) {
    auto it = changes.find(key);
    return it != changes.end() && it->is_number_integer() ? it->get<int>() : -1;
  };
  if (n("add") == c.add && n("change") == c.change && n("remove") == c.destroy &&
      n("import") == c.imports && n("forget") == c.forgets)
    return true;
  error =
      "plan stream's planned changes do not add up to its change_summary (" + changes.dump() + ")";
  return false;
}

// One line of the stream; false with error set when the stream cannot be read.
bool read_line(std::string_view line, std::size_t number, PlanSummary& s, bool& summarized,
               std::string& error) {
  json msg = json::parse(line.begin(), line.end(), nullptr, false);
  if (!msg.is_object()) {
    error = "plan stream line " + std::to_string(number) + " is not a JSON object";
    return false;
  }
  const std::string type = text_at(msg, "type");
  if (type == "planned_change") {
    if (!msg.contains("change") || !msg["change"].is_object()) {
      error = "plan stream line " + std::to_string(number) + " has no change object";
      return false;
    }
    return count_change(msg["change"], s, error);
  }
  if (type == "outputs")
    return read_outputs(msg.contains("outputs") ? msg["outputs"] : json(), s, error);
  if (type == "change_summary") {
    summarized = true;
    const json& changes =
        msg.contains("changes") && msg["changes"].is_object() ? msg["changes"] : json::object();
    return adds_up(changes, s.counts, error);
  }
  return true;  // version, resource_drift, diagnostics, hooks: not part of the plan's changes
}

bool by_address(const ResourceChange& a, const ResourceChange& b) { return a.address < b.address; }

}  // namespace

std::optional<PlanSummary> parse_plan_stream(std::string_view text, std::string& error) {
  error.clear();
  if (text.empty()) {
    error = "plan stream is empty";
    return std::nullopt;
  }
  if (text.back() != '\n') {
    error = "plan stream ends in the middle of a line";
    return std::nullopt;
  }
  PlanSummary s;
  bool summarized = false;
  std::size_t number = 0;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t eol = text.find('\n', at);
    const std::string_view line = text.substr(at, eol - at);
    at = eol + 1;
    ++number;
    if (line.empty()) continue;
    if (!read_line(line, number, s, summarized, error)) return std::nullopt;
  }
  if (!summarized) {
    error = "plan stream has no change_summary";
    return std::nullopt;
  }
  // The show lists resource changes by address; the stream in the order the plan finished them.
  std::stable_sort(s.changes.begin(), s.changes.end(), by_address);
  std::stable_sort(s.deletions.begin(), s.deletions.end(),
                   [](const Deletion& a, const Deletion& b) { return a.address < b.address; });
  return s;
}

}  // namespace stackctl
