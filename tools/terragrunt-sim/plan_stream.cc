#include "plan_stream.h"

#include <cstdio>
#include <cstdlib>

namespace tgsim {

using nlohmann::json;

namespace {

bool has(const std::vector<std::string>& list, const char* a) {
  for (const auto& x : list)
    if (x == a) return true;
  return false;
}

json message(const std::string& level, const std::string& text, const char* type) {
  return {{"@level", level},
          {"@message", text},
          {"@module", "tofu.ui"},
          {"@timestamp", utc_timestamp()},
          {"type", type}};
}

// {"addr", "module", "resource", "implied_provider", "resource_type", "resource_name",
// "resource_key"}
json resource_addr(const std::string& address) {
  Address a = parse_address(address);
  std::string resource =
      a.module_address.empty() ? address : address.substr(a.module_address.size() + 1);
  return {{"addr", address},         {"module", a.module_address},
          {"resource", resource},    {"implied_provider", a.type.substr(0, a.type.find('_'))},
          {"resource_type", a.type}, {"resource_name", a.name},
          {"resource_key", a.index}};
}

// The one action the stream names for a change's actions, as OpenTofu's views/json does.
std::string stream_action(const ResourceChange& c) {
  const auto& a = c.actions;
  if (has(a, "delete") && has(a, "create")) return "replace";
  if (has(a, "create") && !has(a, "forget")) return "create";
  if (has(a, "delete")) return "delete";
  if (has(a, "forget") && !has(a, "create")) return "remove";
  if (has(a, "update")) return "update";
  if (has(a, "read")) return "read";
  return "noop";  // no-op, and forget+create, which OpenTofu 1.12.6 has no name for
}

std::string with_s(int n, const char* what) { return std::to_string(n) + " to " + what; }

}  // namespace

std::string sim_tofu_version() {
  const char* v = std::getenv("TERRAGRUNT_SIM_TOFU_VERSION");
  return v && *v ? v : "1.9.8";
}

bool tofu_has_json_into() {
  int major = 0, minor = 0;
  if (std::sscanf(sim_tofu_version().c_str(), "%d.%d", &major, &minor) != 2) return false;
  return major > 1 || (major == 1 && minor >= 12);
}

std::string plan_stream(const Plan& plan) {
  std::string out;
  json v = message("info", "OpenTofu " + sim_tofu_version(), "version");
  v["tofu"] = sim_tofu_version();
  v["ui"] = "1.2";
  out += v.dump() + "\n";
  for (const ResourceChange& c : plan.resources) {
    std::string action = stream_action(c);
    const bool moved = !c.previous_address.empty() && c.previous_address != c.address;
    const bool forgets_on_replace = has(c.actions, "forget") && has(c.actions, "create");
    if (action == "noop" && moved) action = "move";
    if (action == "noop" && !c.importing.is_null()) action = "import";
    if (action == "noop" && !forgets_on_replace) continue;
    json change = {{"resource", resource_addr(c.address)}, {"action", action}};
    if (moved) change["previous_resource"] = resource_addr(c.previous_address);
    if (!c.importing.is_null()) change["importing"] = c.importing;
    if (!c.reason.empty())
      change["reason"] =
          c.reason.rfind("replace_because_", 0) == 0 ? c.reason.substr(16) : c.reason;
    json m = message("info", c.address + ": Plan to " + action, "planned_change");
    m["change"] = change;
    out += m.dump() + "\n";
  }
  Counts n = count_changes(plan);
  std::string text = "Plan: " + (n.import ? with_s(n.import, "import") + ", " : "") +
                     with_s(n.add, "add") + ", " + with_s(n.change, "change") + ", " +
                     with_s(n.destroy, "destroy") +
                     (n.forget ? ", " + with_s(n.forget, "forget") : "") + ".";
  json summary = message("info", text, "change_summary");
  summary["changes"] = {{"add", n.add},        {"change", n.change}, {"import", n.import},
                        {"remove", n.destroy}, {"forget", n.forget}, {"operation", "plan"}};
  out += summary.dump() + "\n";
  if (!plan.outputs.empty()) {
    json outputs = json::object();
    for (const OutputChange& o : plan.outputs) {
      const auto& a = o.actions;
      const std::string action = a == std::vector<std::string>{"no-op"}  ? "noop"
                                 : has(a, "create") && !has(a, "delete") ? "create"
                                 : has(a, "delete") && !has(a, "create") ? "delete"
                                                                         : "update";
      outputs[o.name] = {{"sensitive", o.sensitive}, {"action", action}};
    }
    json m = message("info", "Outputs: " + std::to_string(plan.outputs.size()), "outputs");
    m["outputs"] = outputs;
    out += m.dump() + "\n";
  }
  return out;
}

}  // namespace tgsim
