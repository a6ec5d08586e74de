#include "render.h"

#include <algorithm>

namespace tgsim {

using nlohmann::json;

namespace {

std::string rule() {
  std::string out;
  for (int i = 0; i < 77; ++i) out += "\u2500";
  return out;
}

bool is(const ResourceChange& c, std::initializer_list<const char*> actions) {
  return c.actions == std::vector<std::string>(actions.begin(), actions.end());
}

const char* symbol_of(const ResourceChange& c) {
  if (is(c, {"create"})) return "+";
  if (is(c, {"update"})) return "~";
  if (is(c, {"delete"})) return "-";
  if (is(c, {"forget", "create"})) return "+/.";
  if (c.actions.size() == 2) return "-/+";
  return " ";
}

const char* verb_of(const ResourceChange& c) {
  if (is(c, {"create"})) return "will be created";
  if (is(c, {"update"})) return "will be updated in-place";
  if (is(c, {"delete"})) return "will be destroyed";
  if (is(c, {"read"})) return "will be read during apply";
  return "must be replaced";
}

/// A change that only moves, imports or forgets: terraform's header and the object's id.
std::string render_bookkeeping(const ResourceChange& c) {
  Address a = parse_address(c.address);
  std::string out;
  std::string sym = "   ";
  if (is(c, {"forget"})) {
    out = "  # " + c.address +
          " will be removed from the Terraform state but will not be destroyed\n";
    sym = "  .";
  } else if (!c.importing.is_null()) {
    out = "  # " + c.address + " will be imported\n";
  } else {
    out = "  # " + c.previous_address + " has moved to " + c.address + "\n";
  }
  json before = c.before.is_object() ? c.before : json::object();
  return out + sym + " resource \"" + a.type + "\" \"" + a.name +
         "\" {\n        id = " + show_value(before.value("id", json(""))) + "\n    }\n";
}

std::string render_resource(const ResourceChange& c) {
  if (is(c, {"no-op"}) || is(c, {"forget"})) return render_bookkeeping(c);
  Address a = parse_address(c.address);
  std::string sym = symbol_of(c);
  std::string kind = a.mode == "data" ? "data" : "resource";
  std::string out = "  # " + c.address + " " + verb_of(c) + "\n";
  if (!c.previous_address.empty()) out += "  # (moved from " + c.previous_address + ")\n";
  out += std::string(sym.size() < 3 ? 2 : 0, ' ') + sym + " " + kind + " \"" + a.type + "\" \"" +
         a.name + "\" {\n";
  json before = c.before.is_object() ? c.before : json::object();
  json after = c.after.is_object() ? c.after : json::object();
  if (is(c, {"create"})) {
    for (auto it = after.begin(); it != after.end(); ++it) {
      out += "      + " + it.key() + " = " + show_value(it.value()) + "\n";
    }
    out += "      + id = (known after apply)\n";
  } else if (is(c, {"update"})) {
    out += "        id = " + show_value(before.value("id", json(""))) + "\n";
    for (auto it = after.begin(); it != after.end(); ++it) {
      if (it.key() == "id" || before.value(it.key(), json()) == it.value()) continue;
      out += "      ~ " + it.key() + " = " + show_value(before.value(it.key(), json())) + " -> " +
             show_value(it.value()) + "\n";
    }
  } else if (is(c, {"delete"})) {
    out += "      - id = " + show_value(before.value("id", json(""))) + " -> null\n";
  } else {
    out += "      ~ id = " + show_value(before.value("id", json(""))) +
           " -> (known after apply) # forces replacement\n";
  }
  return out + "    }\n";
}

std::string symbols_legend(const Plan& plan) {
  std::string out =
      "Terraform used the selected providers to generate the following execution\n"
      "plan. Resource actions are indicated with the following symbols:\n";
  auto any = [&](std::initializer_list<const char*> a) {
    return std::any_of(plan.resources.begin(), plan.resources.end(),
                       [&](const ResourceChange& c) { return is(c, a); });
  };
  if (any({"create"})) out += "  + create\n";
  if (any({"update"})) out += "  ~ update in-place\n";
  if (any({"delete"})) out += "  - destroy\n";
  if (any({"forget"})) out += "  . forget\n";
  if (any({"delete", "create"})) out += "-/+ destroy and then create replacement\n";
  if (any({"forget", "create"})) out += "+/. create replacement and then forget prior object\n";
  return out;
}

std::string render_output_changes(const Plan& plan) {
  std::string out;
  for (const OutputChange& o : plan.outputs) {
    const std::string& a = o.actions[0];
    if (a == "no-op") continue;
    std::string after = o.sensitive ? "(sensitive value)" : show_value(o.after);
    std::string before = o.sensitive ? "(sensitive value)" : show_value(o.before);
    if (a == "create") out += "  + " + o.name + " = " + after + "\n";
    if (a == "update") out += "  ~ " + o.name + " = " + before + " -> " + after + "\n";
    if (a == "delete") out += "  - " + o.name + " = " + before + " -> null\n";
  }
  return out.empty() ? out : "\nChanges to Outputs:\n" + out;
}

/// OpenTofu's summary line: import and forget counts only when there are any.
std::string plan_line(const Counts& n) {
  std::string out = "Plan: ";
  if (n.import > 0) out += std::to_string(n.import) + " to import, ";
  out += std::to_string(n.add) + " to add, " + std::to_string(n.change) + " to change, " +
         std::to_string(n.destroy) + " to destroy";
  if (n.forget > 0) out += ", " + std::to_string(n.forget) + " to forget";
  return out + ".\n";
}

std::string no_changes_text(const Plan& plan) {
  if (plan.destroy) {
    return "No changes. No objects need to be destroyed.\n\n"
           "Either you have not created any objects yet or the existing objects were\n"
           "already deleted outside of Terraform.\n";
  }
  return "No changes. Your infrastructure matches the configuration.\n\n"
         "Terraform has compared your real infrastructure against your configuration\n"
         "and found no differences, so no changes are needed.\n";
}

}  // namespace

std::string error_box(const std::string& summary, const std::string& detail) {
  std::string out = "\u2577\n\u2502 Error: " + summary + "\n";
  if (!detail.empty()) {
    out += "\u2502 \n";
    std::size_t start = 0;
    while (start < detail.size()) {
      std::size_t nl = detail.find('\n', start);
      if (nl == std::string::npos) nl = detail.size();
      out += "\u2502 " + detail.substr(start, nl - start) + "\n";
      start = nl + 1;
    }
  }
  return out + "\u2575\n";
}

std::string show_value(const json& value) { return value.is_null() ? "null" : value.dump(); }

std::string render_plan(const Plan& plan, const std::string& saved_to) {
  std::string out;
  for (const ResourceChange& c : plan.resources) {
    if (c.before.is_object()) {
      out += c.address + ": Refreshing state... [id=" + c.before.value("id", "") + "]\n";
    }
  }
  if (!out.empty()) out += "\n";
  Counts n = count_changes(plan);
  if (!has_changes(plan)) return out + no_changes_text(plan);
  bool resources = std::any_of(plan.resources.begin(), plan.resources.end(),
                               [](const ResourceChange& c) { return c.changes(); });
  if (resources) {
    out += symbols_legend(plan) + "\nTerraform will perform the following actions:\n\n";
    for (const ResourceChange& c : plan.resources) {
      if (c.changes()) out += render_resource(c) + "\n";
    }
    out += plan_line(n);
  }
  out += render_output_changes(plan);
  if (!resources) {
    out +=
        "\nYou can apply this plan to save these new output values to the Terraform\n"
        "state, without changing any real infrastructure.\n";
  }
  if (!saved_to.empty()) {
    out += "\n" + rule() + "\n\nSaved the plan to: " + saved_to + "\n\n" +
           "To perform exactly these actions, run the following command to apply:\n" +
           "    terraform apply \"" + saved_to + "\"\n";
  }
  return out;
}

std::string render_progress(const Plan& plan, const State& after) {
  std::string out;
  for (const ResourceChange& c : plan.resources) {
    const Resource* now = after.find(c.address);
    std::string old_id = c.before.is_object() ? c.before.value("id", "") : "";
    std::string new_id = now ? now->id : "";
    if (!c.importing.is_null()) {
      out += c.address + ": Importing... [id=" + new_id + "]\n";
      out += c.address + ": Import complete [id=" + new_id + "]\n";
    }
    bool forget = std::find(c.actions.begin(), c.actions.end(), "forget") != c.actions.end();
    if (is(c, {"delete"}) || (c.actions.size() == 2 && !forget)) {
      out += c.address + ": Destroying... [id=" + old_id + "]\n";
      out += c.address + ": Destruction complete after 0s\n";
    }
    if (is(c, {"create"}) || c.actions.size() == 2) {
      out += c.address + ": Creating...\n";
      out += c.address + ": Creation complete after 0s [id=" + new_id + "]\n";
    }
    if (is(c, {"update"})) {
      out += c.address + ": Modifying... [id=" + new_id + "]\n";
      out += c.address + ": Modifications complete after 0s [id=" + new_id + "]\n";
    }
  }
  return out;
}

std::string render_apply_complete(const Plan& plan, const State& after) {
  Counts n = count_changes(plan);
  std::string out = "\nApply complete! Resources: ";
  if (n.import > 0) out += std::to_string(n.import) + " imported, ";
  out += std::to_string(n.add) + " added, " + std::to_string(n.change) + " changed, " +
         std::to_string(n.destroy) + " destroyed";
  if (n.forget > 0) out += ", " + std::to_string(n.forget) + " forgotten";
  out += ".\n";
  if (!after.outputs.empty()) out += "\nOutputs:\n\n" + render_outputs(after);
  return out;
}

std::string render_destroy_complete(const Plan& plan) {
  return "\nDestroy complete! Resources: " + std::to_string(count_changes(plan).destroy) +
         " destroyed.\n";
}

std::string render_outputs(const State& state) {
  std::string out;
  for (auto it = state.outputs.begin(); it != state.outputs.end(); ++it) {
    bool sensitive = std::find(state.sensitive_outputs.begin(), state.sensitive_outputs.end(),
                               it.key()) != state.sensitive_outputs.end();
    out += it.key() + " = " + (sensitive ? "<sensitive>" : show_value(it.value())) + "\n";
  }
  return out;
}

}  // namespace tgsim
