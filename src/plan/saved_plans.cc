#include "stackctl/plan/saved_plans.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "stackctl/journal/changes_json.h"
#include "stackctl/util/error.h"
#include "stackctl/util/file_text.h"

namespace stackctl {
namespace fs = std::filesystem;
using nlohmann::json;

const SavedLayer* SavedPlans::find(const std::string& name) const {
  for (const auto& l : layers)
    if (l.name == name) return &l;
  return nullptr;
}

std::map<std::string, JournalRecord> last_state_changes(const JournalContents& journal) {
  std::map<std::string, JournalRecord> last;
  for (const auto& r : journal.records)
    if (r.type == "layer_end" && r.result == "ok" &&
        (r.action == "destroy" || (r.action == "apply" && changed_something(r))))
      last[r.layer] = r;
  return last;
}

Upstream upstream_of(const Stack& stack, const Graph& graph, std::size_t layer,
                     const std::map<std::string, JournalRecord>& last) {
  Upstream up;
  for (std::size_t dep : graph.ancestors(layer)) {
    if (!stack.enabled[dep]) continue;
    UpstreamApply a;
    a.layer = stack.layer(dep).name;
    auto it = last.find(a.layer);
    if (it != last.end()) {
      a.action = it->second.action;
      a.run_id = it->second.run_id;
      a.time = it->second.time;
    }
    up.applies.push_back(a);
  }
  up.fingerprint = fingerprint(up.applies);
  return up;
}

// FNV-1a: a fingerprint only has to change when its input does; it guards no secret.
std::string fingerprint(const std::vector<UpstreamApply>& applies) {
  std::uint64_t h = 14695981039346656037ull;
  auto feed = [&h](const std::string& s, char end) {
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    h = (h ^ static_cast<unsigned char>(end)) * 1099511628211ull;
  };
  for (const auto& a : applies) {
    feed(a.layer, '\x1f');
    feed(a.action, '\x1f');
    feed(a.run_id, '\x1f');
    feed(a.time, '\x1e');
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string("fnv1a64:") + hex;
}

std::optional<std::string> stale_reason(const SavedLayer& saved, const Upstream& now) {
  if (saved.upstream.fingerprint == now.fingerprint) return std::nullopt;
  const std::string head = "plan for " + saved.name + " is stale: ";
  for (const auto& a : now.applies) {
    const UpstreamApply* then = nullptr;
    for (const auto& b : saved.upstream.applies)
      if (b.layer == a.layer) then = &b;
    if (then && *then == a) continue;
    if (a.action.empty()) continue;  // no change recorded now: looked at below
    return head + a.layer + " was " + (a.action == "destroy" ? "destroyed" : "applied") +
           " since (run " + a.run_id + " at " + a.time + "); plan again";
  }
  return head + "the layers it depends on changed since it was made; plan again";
}

namespace {

// The manifest keeps "replace" beside "changes" (format version 1).
nlohmann::ordered_json changes_without_replace(const ChangeCounts& c) {
  nlohmann::ordered_json out = changes_json(c);
  out.erase("replace");
  return out;
}

json layer_json(const SavedLayer& l) {
  json deps = json::array();
  for (const auto& a : l.upstream.applies)
    deps.push_back(
        {{"layer", a.layer}, {"action", a.action}, {"run_id", a.run_id}, {"time", a.time}});
  return {{"name", l.name},
          {"changes", changes_without_replace(l.counts)},
          {"replace", l.counts.replace},
          {"protection", l.protection},
          {"plan_file", l.plan_file},
          {"upstream", {{"fingerprint", l.upstream.fingerprint}, {"dependencies", deps}}}};
}

// Field readers: false with error naming the field when it is missing or of the wrong type.
bool get_string(const json& j, const char* key, const std::string& where, std::string& out,
                std::string& error) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) {
    error = where + "no " + key + " string";
    return false;
  }
  out = it->get<std::string>();
  return true;
}

bool get_int(const json& j, const char* key, const std::string& where, int& out,
             std::string& error) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) {
    error = where + "no " + key + " number";
    return false;
  }
  out = it->get<int>();
  return true;
}

bool read_upstream(const json& j, const std::string& where, Upstream& up, std::string& error) {
  auto it = j.find("upstream");
  if (it == j.end() || !it->is_object()) {
    error = where + "no upstream object";
    return false;
  }
  if (!get_string(*it, "fingerprint", where + "upstream: ", up.fingerprint, error)) return false;
  auto deps = it->find("dependencies");
  if (deps == it->end()) return true;  // the fingerprint alone still tells a stale plan
  if (!deps->is_array()) {
    error = where + "upstream: dependencies is not a list";
    return false;
  }
  for (std::size_t i = 0; i < deps->size(); ++i) {
    const json& d = (*deps)[i];
    std::string at = where + "upstream.dependencies[" + std::to_string(i) + "]: ";
    UpstreamApply a;
    if (!d.is_object() || !get_string(d, "layer", at, a.layer, error) ||
        !get_string(d, "action", at, a.action, error) ||
        !get_string(d, "run_id", at, a.run_id, error) ||
        !get_string(d, "time", at, a.time, error)) {
      if (!d.is_object()) error = at + "not an object";
      return false;
    }
    up.applies.push_back(a);
  }
  return true;
}

bool read_layer(const json& j, std::size_t i, SavedLayer& l, std::string& error) {
  std::string where = "layers[" + std::to_string(i) + "]: ";
  if (!j.is_object()) {
    error = where + "not an object";
    return false;
  }
  if (!get_string(j, "name", where, l.name, error)) return false;
  auto changes = j.find("changes");
  if (changes == j.end() || !changes->is_object()) {
    error = where + "no changes object";
    return false;
  }
  int ignored = 0;  // the three counts every manifest has must be there; the rest may be
  if (!get_int(*changes, "add", where + "changes: ", ignored, error) ||
      !get_int(*changes, "change", where + "changes: ", ignored, error) ||
      !get_int(*changes, "destroy", where + "changes: ", ignored, error))
    return false;
  l.counts = changes_from_json(*changes);
  return get_int(j, "replace", where, l.counts.replace, error) &&
         get_string(j, "protection", where, l.protection, error) &&
         get_string(j, "plan_file", where, l.plan_file, error) &&
         read_upstream(j, where, l.upstream, error);
}

// "not_saved": [{"name", "result"}]; optional (summaries written before it have none).
bool read_not_saved(const json& doc, SavedPlans& out, std::string& error) {
  auto list = doc.find("not_saved");
  if (list == doc.end()) return true;
  if (!list->is_array()) {
    error = "not_saved is not a list";
    return false;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& j = (*list)[i];
    std::string where = "not_saved[" + std::to_string(i) + "]: ";
    std::string name, result;
    if (!j.is_object()) {
      error = where + "not an object";
      return false;
    }
    if (!get_string(j, "name", where, name, error) ||
        !get_string(j, "result", where, result, error))
      return false;
    out.not_saved.emplace_back(name, result);
  }
  return true;
}

bool read_document(const json& doc, SavedPlans& out, std::string& error) {
  if (!doc.is_object()) {
    error = "not a JSON object";
    return false;
  }
  if (!get_int(doc, "version", "", out.version, error)) return false;
  if (out.version > kSavedPlansVersion) {
    error = "version " + std::to_string(out.version) + " is newer than this stackctl reads (" +
            std::to_string(kSavedPlansVersion) + ")";
    return false;
  }
  if (!get_string(doc, "env", "", out.env, error) ||
      !get_string(doc, "run_id", "", out.run_id, error) ||
      !get_string(doc, "created", "", out.created, error))
    return false;
  auto layers = doc.find("layers");
  if (layers == doc.end() || !layers->is_array()) {
    error = "no layers list";
    return false;
  }
  for (std::size_t i = 0; i < layers->size(); ++i) {
    SavedLayer l;
    if (!read_layer((*layers)[i], i, l, error)) return false;
    out.layers.push_back(std::move(l));
  }
  return read_not_saved(doc, out, error);
}

}  // namespace

json to_json(const SavedPlans& plans) {
  json layers = json::array();
  for (const auto& l : plans.layers) layers.push_back(layer_json(l));
  json doc = {{"format", "stackctl-saved-plans"}, {"version", plans.version}, {"env", plans.env},
              {"run_id", plans.run_id},           {"created", plans.created}, {"layers", layers}};
  if (!plans.not_saved.empty()) {
    json not_saved = json::array();
    for (const auto& [name, result] : plans.not_saved)
      not_saved.push_back({{"name", name}, {"result", result}});
    doc["not_saved"] = not_saved;
  }
  return doc;
}

std::optional<SavedPlans> parse_saved_plans(std::string_view text, std::string& error) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) {
    error = "not valid JSON";
    return std::nullopt;
  }
  SavedPlans out;
  if (!read_document(doc, out, error)) return std::nullopt;
  return out;
}

SavedPlans load_saved_plans(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw usage_error("--plan-dir " + dir.string() + " is not a folder");
  fs::path file = dir / kSavedPlansFile;
  auto text = read_text_file(file);
  if (!text)
    throw usage_error("--plan-dir " + dir.string() + " has no " + kSavedPlansFile +
                      ": make the plans with stackctl plan --out-dir " + dir.string());
  std::string error;
  auto plans = parse_saved_plans(*text, error);
  if (!plans) throw usage_error(file.string() + ": " + error);
  return *plans;
}

namespace {

std::string saved_names(const SavedPlans& saved) {
  std::string names;
  for (const auto& l : saved.layers) names += (names.empty() ? "" : ", ") + l.name;
  return names.empty() ? "none" : names;
}

// Every saved layer must still be an enabled terragrunt layer with its plan file in dir.
void check_saved_layers(const Workspace& ws, const SavedPlans& saved, const fs::path& dir) {
  const Stack& stack = ws.stack();
  for (const auto& l : saved.layers) {
    auto pos = ws.manifest().position(l.name);
    if (!pos || stack.layer(*pos).kind != LayerKind::Terragrunt)
      throw usage_error((dir / kSavedPlansFile).string() + " has a plan for '" + l.name +
                        "', which is not a terragrunt layer of the manifest; plan again");
    if (!stack.enabled[*pos])
      throw usage_error((dir / kSavedPlansFile).string() + " has a plan for '" + l.name +
                        "', which env '" + stack.env.name + "' does not enable; plan again");
    std::error_code ec;
    if (l.plan_file != l.name + ".tfplan" || !fs::is_regular_file(dir / l.plan_file, ec))
      throw usage_error("the saved plan of " + l.name +
                        " is missing: " + (dir / (l.name + ".tfplan")).string() + "; plan again");
  }
}

// One line per layer that would be left out for want of a saved plan, with the fix.
[[noreturn]] void throw_missing_plans(const std::vector<std::string>& lines,
                                      const SavedPlans& saved, const fs::path& dir,
                                      const std::string& env) {
  std::string text = lines.size() == 1 ? "a layer to apply has"
                                       : std::to_string(lines.size()) + " layers to apply have";
  text += " no saved plan in " + dir.string() + " (it holds " + saved_names(saved) + "):";
  for (const auto& l : lines) text += "\n  - " + l;
  throw usage_error(text + "\nplan them with 'stackctl plan --env " + env + " --out-dir " +
                    dir.string() + "', or leave them out of the selection; nothing was started");
}

// The terragrunt layers among candidates, each with its saved plan. A layer without one is never
// left out silently: the whole command is refused, listing each.
std::vector<std::size_t> with_saved_plans(const Workspace& ws,
                                          const std::vector<std::size_t>& candidates,
                                          const SavedPlans& saved, const fs::path& dir) {
  const Stack& stack = ws.stack();
  std::vector<std::size_t> chosen;
  std::vector<std::string> missing;
  for (std::size_t i : candidates) {
    if (stack.layer(i).kind != LayerKind::Terragrunt) continue;
    if (saved.find(stack.layer(i).name)) {
      chosen.push_back(i);
      continue;
    }
    auto unsaved = std::find_if(saved.not_saved.begin(), saved.not_saved.end(),
                                [&](const auto& n) { return n.first == stack.layer(i).name; });
    missing.push_back(stack.layer(i).name +
                      (unsaved == saved.not_saved.end()
                           ? ": not planned by run " + saved.run_id
                           : ": the plan run " + saved.run_id + " ended it " + unsaved->second));
  }
  if (!missing.empty()) throw_missing_plans(missing, saved, dir, stack.env.name);
  return chosen;
}

// The selected terragrunt layers, each with its saved plan (without a selection: the saved
// layers, and the plan run must have saved every layer it planned).
std::vector<std::size_t> choose_layers(const Workspace& ws, const RunRequest& req,
                                       const SavedPlans& saved, const fs::path& dir) {
  std::vector<std::size_t> chosen;
  if (req.selection.empty()) {
    std::vector<std::string> missing;
    for (const auto& l : saved.layers) chosen.push_back(*ws.manifest().position(l.name));
    std::sort(chosen.begin(), chosen.end());
    for (const auto& [name, result] : saved.not_saved)
      missing.push_back(name + ": the plan run " + saved.run_id + " ended it " + result);
    if (!missing.empty()) throw_missing_plans(missing, saved, dir, ws.stack().env.name);
  } else {
    chosen = with_saved_plans(
        ws, select_layers(ws.stack(), ws.graph(), req.selection, Direction::Apply), saved, dir);
  }
  if (chosen.empty())
    throw usage_error("none of the selected layers has a saved plan in " + dir.string() +
                      " (it holds " + saved_names(saved) + ")");
  return chosen;
}

// Refuses plans whose dependencies were applied (or destroyed) since they were made.
void check_fresh(const Workspace& ws, const SavedPlans& saved,
                 const std::vector<std::size_t>& layers) {
  auto last = last_state_changes(read_journal(ws.journal_file()));
  std::string stale;
  for (std::size_t i : layers) {
    const SavedLayer* s = saved.find(ws.stack().layer(i).name);
    if (auto why = stale_reason(*s, upstream_of(ws.stack(), ws.graph(), i, last)))
      stale += (stale.empty() ? "" : "\n") + *why;
  }
  if (!stale.empty()) throw refused_error(stale);
}

}  // namespace

std::function<std::optional<std::string>(std::size_t)> saved_plan_freshness(const Workspace& ws,
                                                                            const fs::path& dir) {
  auto saved = std::make_shared<const SavedPlans>(load_saved_plans(dir));
  return [&ws, saved](std::size_t layer) -> std::optional<std::string> {
    const std::string& name = ws.stack().layer(layer).name;
    const SavedLayer* s = saved->find(name);
    if (!s) return "no saved plan of " + name + " in this plan folder; plan again";
    return stale_reason(*s, upstream_of(ws.stack(), ws.graph(), layer,
                                        last_state_changes(read_journal(ws.journal_file()))));
  };
}

namespace {

// The start checks of apply --plan-dir that do not depend on the selection: DIR holds this env's
// plans, and each of them is still an enabled terragrunt layer with its plan file.
SavedPlans checked_saved_plans(const Workspace& ws, const std::string& plan_dir,
                               const fs::path& dir) {
  SavedPlans saved = load_saved_plans(dir);
  const std::string& env = ws.stack().env.name;
  if (saved.env != env)
    throw refused_error("--plan-dir " + plan_dir + " holds plans for env '" + saved.env +
                        "', not '" + env + "'; nothing was started");
  check_saved_layers(ws, saved, dir);
  return saved;
}

}  // namespace

Phase saved_plan_phase(const Workspace& ws, const RunRequest& req) {
  const fs::path dir = fs::absolute(req.plan_dir).lexically_normal();
  const SavedPlans saved = checked_saved_plans(ws, req.plan_dir, dir);
  Phase phase{Action::Apply, choose_layers(ws, req, saved, dir)};
  check_fresh(ws, saved, phase.layers);
  return phase;
}

Phase resumed_saved_plan_phase(const Workspace& ws, const std::string& plan_dir,
                               const Phase& remaining) {
  const fs::path dir = fs::absolute(plan_dir).lexically_normal();
  const SavedPlans saved = checked_saved_plans(ws, plan_dir, dir);
  Phase phase{Action::Apply, with_saved_plans(ws, remaining.layers, saved, dir)};
  check_fresh(ws, saved, phase.layers);
  return phase;
}

}  // namespace stackctl
