#include "plan.h"

#include <algorithm>
#include <ctime>
#include <random>
#include <sstream>

namespace tgsim {

using nlohmann::json;

namespace {

constexpr const char* kTerraformVersion = "1.9.8";

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

json before_of(const Resource& r) {
  json before = r.attributes.is_object() ? r.attributes : json::object();
  before["id"] = r.id;
  return before;
}

std::string provider_of(const Address& a) {
  std::string provider = a.type.substr(0, a.type.find('_'));
  return "registry.terraform.io/hashicorp/" + provider;
}

/// The "from" of a moved block whose "to" is address, if the state still has it.
const Resource* moved_from(const State& state, const Desired& desired, const std::string& address) {
  for (const auto& [from, to] : desired.moved) {
    if (to == address && state.find(address) == nullptr) return state.find(from);
  }
  return nullptr;
}

const std::string* import_id(const Desired& desired, const std::string& address) {
  for (const auto& [to, id] : desired.imports) {
    if (to == address) return &id;
  }
  return nullptr;
}

ResourceChange change_for(const State& state, const Desired& desired,
                          const std::vector<std::string>& force_replace, const std::string& address,
                          const json& attrs) {
  ResourceChange c{address, {}, nullptr, attrs, "", "", nullptr};
  const Resource* current = state.find(address);
  if (current == nullptr && (current = moved_from(state, desired, address)) != nullptr) {
    c.previous_address = current->address;
  }
  bool data = parse_address(address).mode == "data";
  const std::string* id = data ? nullptr : import_id(desired, address);
  if (current == nullptr && id != nullptr) {
    // import { to = address, id = ... } with a configuration that matches the object
    c.actions = {"no-op"};
    c.importing = {{"id", *id}};
    c.before = attrs.is_object() ? attrs : json::object();
    c.before["id"] = *id;
    c.after = c.before;
    return c;
  }
  if (current == nullptr) {
    c.actions = {data ? "read" : "create"};
    return c;
  }
  c.before = before_of(*current);
  bool by_request = contains(force_replace, address);
  if (!data && contains(desired.forget_replace, address)) {
    c.actions = {"forget", "create"};  // lifecycle { destroy = false } on a replaced resource
    c.reason = "replace_because_cannot_update";
  } else if (!data && (by_request || contains(desired.replace, address))) {
    c.actions = {"delete", "create"};
    c.reason = by_request ? "replace_by_request" : "replace_because_cannot_update";
  } else if (!data && (contains(desired.update, address) || current->attributes != attrs)) {
    c.actions = {"update"};
    c.after["id"] = current->id;
  } else {
    c.actions = {"no-op"};
    c.after = c.before;
  }
  return c;
}

std::vector<OutputChange> output_changes(const State& state, const Desired& desired, bool destroy) {
  std::vector<OutputChange> out;
  json target = destroy ? json::object() : desired.outputs;
  for (auto it = target.begin(); it != target.end(); ++it) {
    OutputChange c{
        it.key(), {}, nullptr, it.value(), contains(desired.sensitive_outputs, it.key())};
    if (!state.outputs.contains(it.key())) {
      c.actions = {"create"};
    } else {
      c.before = state.outputs[it.key()];
      c.actions = {c.before == c.after ? "no-op" : "update"};
    }
    out.push_back(c);
  }
  for (auto it = state.outputs.begin(); it != state.outputs.end(); ++it) {
    if (target.contains(it.key())) continue;
    out.push_back(
        {it.key(), {"delete"}, it.value(), nullptr, contains(state.sensitive_outputs, it.key())});
  }
  std::sort(out.begin(), out.end(),
            [](const OutputChange& a, const OutputChange& b) { return a.name < b.name; });
  return out;
}

json resource_change_json(const ResourceChange& c) {
  Address a = parse_address(c.address);
  json change = {
      {"actions", c.actions},
      {"before", c.before},
      {"after", c.after},
      {"after_unknown", c.actions == std::vector<std::string>{"create"} || c.actions.size() == 2
                            ? json{{"id", true}}
                            : json::object()},
      {"before_sensitive", c.before.is_null() ? json(false) : json::object()},
      {"after_sensitive", c.after.is_null() ? json(false) : json::object()}};
  json rc = {{"address", c.address},
             {"mode", a.mode},
             {"type", a.type},
             {"name", a.name},
             {"provider_name", provider_of(a)},
             {"change", change}};
  if (!a.module_address.empty()) rc["module_address"] = a.module_address;
  if (!a.index.is_null()) rc["index"] = a.index;
  if (!c.reason.empty()) rc["action_reason"] = c.reason;
  if (!c.previous_address.empty()) rc["previous_address"] = c.previous_address;
  if (!c.importing.is_null()) rc["change"]["importing"] = c.importing;
  return rc;
}

json resource_values(const std::string& address, const json& values) {
  Address a = parse_address(address);
  json r = {{"address", address},
            {"mode", a.mode},
            {"type", a.type},
            {"name", a.name},
            {"provider_name", provider_of(a)},
            {"schema_version", 0},
            {"values", values}};
  if (!a.index.is_null()) r["index"] = a.index;
  return r;
}

json state_values(const State& state) {
  json outputs = json::object();
  for (auto it = state.outputs.begin(); it != state.outputs.end(); ++it) {
    outputs[it.key()] = {{"sensitive", contains(state.sensitive_outputs, it.key())},
                         {"value", it.value()},
                         {"type", terraform_type(it.value())}};
  }
  json resources = json::array();
  for (const Resource& r : state.resources)
    resources.push_back(resource_values(r.address, before_of(r)));
  return {{"outputs", outputs}, {"root_module", {{"resources", resources}}}};
}

json planned_values(const Plan& plan) {
  json outputs = json::object();
  for (const OutputChange& o : plan.outputs) {
    if (o.actions[0] == "delete") continue;
    outputs[o.name] = {{"sensitive", o.sensitive}, {"value", o.after}};
  }
  json resources = json::array();
  for (const ResourceChange& c : plan.resources) {
    if (!c.after.is_null()) resources.push_back(resource_values(c.address, c.after));
  }
  return {{"outputs", outputs}, {"root_module", {{"resources", resources}}}};
}

}  // namespace

Address parse_address(const std::string& address) {
  Address a;
  std::vector<std::string> parts;
  std::string part;
  int depth = 0;
  for (char ch : address) {
    if (ch == '[') ++depth;
    if (ch == ']') --depth;
    if (ch == '.' && depth == 0) {
      parts.push_back(part);
      part.clear();
    } else {
      part += ch;
    }
  }
  parts.push_back(part);
  std::size_t i = 0;
  std::vector<std::string> module_parts;
  while (i + 1 < parts.size() && parts[i] == "module") {
    module_parts.push_back("module." + parts[i + 1]);
    i += 2;
  }
  for (std::size_t m = 0; m < module_parts.size(); ++m) {
    a.module_address += (m ? "." : "") + module_parts[m];
  }
  if (i < parts.size() && parts[i] == "data") {
    a.mode = "data";
    ++i;
  }
  if (i < parts.size()) a.type = parts[i++];
  std::string name = i < parts.size() ? parts[i] : "";
  if (auto bracket = name.find('['); bracket != std::string::npos && name.back() == ']') {
    std::string idx = name.substr(bracket + 1, name.size() - bracket - 2);
    bool numeric = !idx.empty() && std::all_of(idx.begin(), idx.end(), ::isdigit);
    a.index = numeric ? json(std::stoll(idx))
                      : json(idx.size() >= 2 ? idx.substr(1, idx.size() - 2) : idx);
    name = name.substr(0, bracket);
  }
  a.name = name;
  return a;
}

bool ResourceChange::changes() const {
  if ((!previous_address.empty() && previous_address != address) || !importing.is_null())
    return true;
  return std::any_of(actions.begin(), actions.end(), [](const std::string& a) {
    return a == "create" || a == "update" || a == "delete" || a == "forget";
  });
}

Counts count_changes(const Plan& plan) {
  Counts c;
  for (const ResourceChange& r : plan.resources) {
    if (parse_address(r.address).mode != "managed") continue;
    if (!r.importing.is_null()) ++c.import;
    if (contains(r.actions, "create")) ++c.add;
    if (contains(r.actions, "delete")) ++c.destroy;
    if (contains(r.actions, "forget")) ++c.forget;
    if (r.actions == std::vector<std::string>{"update"}) ++c.change;
  }
  return c;
}

bool has_changes(const Plan& plan) {
  bool resources =
      std::any_of(plan.resources.begin(), plan.resources.end(), [](const ResourceChange& r) {
        return parse_address(r.address).mode == "managed" && r.changes();
      });
  return resources || std::any_of(plan.outputs.begin(), plan.outputs.end(),
                                  [](const OutputChange& o) { return o.actions[0] != "no-op"; });
}

Plan make_plan(const State& state, const Desired& desired, bool destroy,
               const std::vector<std::string>& force_replace) {
  Plan plan;
  plan.destroy = destroy;
  plan.state_serial = state.serial;
  plan.state_lineage = state.lineage;
  if (!destroy) {
    for (const auto& [address, attrs] : desired.resources) {
      plan.resources.push_back(change_for(state, desired, force_replace, address, attrs));
    }
  }
  for (const Resource& r : state.resources) {
    bool wanted =
        !destroy &&
        std::any_of(plan.resources.begin(), plan.resources.end(), [&](const ResourceChange& c) {
          return c.address == r.address || c.previous_address == r.address;
        });
    if (wanted) continue;
    // removed { from = address, lifecycle { destroy = false } }
    bool forget = !destroy && contains(desired.forget, r.address);
    plan.resources.push_back(
        {r.address, {forget ? "forget" : "delete"}, before_of(r), nullptr, "", "", nullptr});
  }
  std::sort(plan.resources.begin(), plan.resources.end(),
            [](const ResourceChange& a, const ResourceChange& b) { return a.address < b.address; });
  plan.outputs = output_changes(state, desired, destroy);
  return plan;
}

json plan_json(const Plan& plan, const State& prior, const std::string& timestamp) {
  json doc = {{"format_version", "1.2"}, {"terraform_version", kTerraformVersion}};
  doc["planned_values"] = planned_values(plan);
  if (!plan.resources.empty()) {
    json changes = json::array();
    for (const ResourceChange& c : plan.resources) changes.push_back(resource_change_json(c));
    doc["resource_changes"] = changes;
  }
  json outputs = json::object();
  for (const OutputChange& o : plan.outputs) {
    outputs[o.name] = {{"actions", o.actions},
                       {"before", o.before},
                       {"after", o.after},
                       {"after_unknown", false},
                       {"before_sensitive", o.sensitive},
                       {"after_sensitive", o.sensitive}};
  }
  if (!outputs.empty()) doc["output_changes"] = outputs;
  if (prior.serial > 0) {
    doc["prior_state"] = {{"format_version", "1.0"},
                          {"terraform_version", kTerraformVersion},
                          {"values", state_values(prior)}};
  }
  doc["configuration"] = {{"root_module", json::object()}};
  doc["timestamp"] = timestamp;
  doc["applyable"] = has_changes(plan);
  doc["complete"] = true;
  doc["errored"] = false;
  return doc;
}

json state_json(const State& state) {
  json doc = {{"format_version", "1.0"}};
  // OpenTofu prints the same one field for a state never written and one a destroy emptied.
  if (state.serial == 0 || (state.resources.empty() && state.outputs.empty())) return doc;
  doc["terraform_version"] = kTerraformVersion;
  doc["values"] = state_values(state);
  return doc;
}

json plan_file_json(const Plan& plan, const State& prior, const std::string& module) {
  return {{"terragrunt_sim_plan", 1},
          {"module", module},
          {"destroy", plan.destroy},
          {"state_serial", plan.state_serial},
          {"state_lineage", plan.state_lineage},
          {"plan", plan_json(plan, prior, utc_timestamp())}};
}

bool read_plan_file(const json& file, Plan& plan, std::string& error) {
  if (!file.is_object() || file.value("terragrunt_sim_plan", 0) != 1 || !file.contains("plan") ||
      !file["plan"].is_object()) {
    error = "not a plan file";
    return false;
  }
  plan = Plan{};
  plan.destroy = file.value("destroy", false);
  plan.state_serial = file.value("state_serial", 0);
  plan.state_lineage = file.value("state_lineage", "");
  const json& doc = file["plan"];
  for (const auto& rc : doc.value("resource_changes", json::array())) {
    const json& ch = rc.at("change");
    plan.resources.push_back(
        {rc.value("address", ""), ch.value("actions", std::vector<std::string>{}),
         ch.value("before", json()), ch.value("after", json()), rc.value("action_reason", ""),
         rc.value("previous_address", ""), ch.value("importing", json())});
  }
  json outputs = doc.value("output_changes", json::object());
  for (auto it = outputs.begin(); it != outputs.end(); ++it) {
    plan.outputs.push_back({it.key(), it.value().value("actions", std::vector<std::string>{}),
                            it.value().value("before", json()), it.value().value("after", json()),
                            it.value().value("after_sensitive", false)});
  }
  return true;
}

namespace {

/// Applies one resource change; false when it is a no-op.
bool apply_resource_change(const ResourceChange& c, int serial, State& state) {
  auto find = [&](const std::string& address) {
    return std::find_if(state.resources.begin(), state.resources.end(),
                        [&](const Resource& r) { return r.address == address; });
  };
  bool changed = false;
  if (!c.previous_address.empty() && find(c.previous_address) != state.resources.end()) {
    find(c.previous_address)->address = c.address;
    changed = true;
  }
  json attrs = c.after.is_object() ? c.after : json::object();
  attrs.erase("id");
  if (!c.importing.is_null()) {
    state.resources.push_back({c.address, c.importing.value("id", ""), attrs});
    return true;
  }
  if (c.actions.empty() || c.actions[0] == "no-op" || c.actions[0] == "read") return changed;
  auto it = find(c.address);
  if (c.actions == std::vector<std::string>{"delete"} ||
      c.actions == std::vector<std::string>{"forget"}) {
    if (it != state.resources.end()) state.resources.erase(it);
  } else if (c.actions == std::vector<std::string>{"update"} && it != state.resources.end()) {
    it->attributes = attrs;
  } else {
    std::string id = parse_address(c.address).name + "-" + std::to_string(serial);
    if (it != state.resources.end()) state.resources.erase(it);
    state.resources.push_back({c.address, id, attrs});
  }
  return true;
}

/// Applies one output change; false when it is a no-op.
bool apply_output_change(const OutputChange& o, State& state) {
  if (o.actions.empty() || o.actions[0] == "no-op") return false;
  auto& sensitive = state.sensitive_outputs;
  sensitive.erase(std::remove(sensitive.begin(), sensitive.end(), o.name), sensitive.end());
  if (o.actions[0] == "delete") {
    state.outputs.erase(o.name);
    return true;
  }
  state.outputs[o.name] = o.after;
  if (o.sensitive) sensitive.push_back(o.name);
  return true;
}

std::string new_lineage() {
  std::random_device rd;
  std::ostringstream ss;
  ss << std::hex << rd() << rd() << rd() << rd();
  return ss.str();
}

}  // namespace

void apply_plan(const Plan& plan, State& state) {
  bool changed = false;
  int next_serial = state.serial + 1;
  for (const ResourceChange& c : plan.resources) {
    changed = apply_resource_change(c, next_serial, state) || changed;
  }
  for (const OutputChange& o : plan.outputs) changed = apply_output_change(o, state) || changed;
  if (!changed) return;
  state.serial = next_serial;
  if (state.lineage.empty()) state.lineage = new_lineage();
}

json terraform_type(const json& value) {
  if (value.is_string()) return "string";
  if (value.is_number()) return "number";
  if (value.is_boolean()) return "bool";
  if (value.is_array()) {
    json elems = json::array();
    for (const auto& v : value) elems.push_back(terraform_type(v));
    return json::array({"tuple", elems});
  }
  if (value.is_object()) {
    json attrs = json::object();
    for (auto it = value.begin(); it != value.end(); ++it)
      attrs[it.key()] = terraform_type(it.value());
    return json::array({"object", attrs});
  }
  return "dynamic";
}

std::string utc_timestamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace tgsim
