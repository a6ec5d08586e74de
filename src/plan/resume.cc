#include "stackctl/plan/resume.h"

#include <algorithm>
#include <set>

#include "stackctl/util/error.h"

namespace stackctl {

nlohmann::json describe_run(Command command, const std::vector<std::string>& argv,
                            const Workspace& ws, const std::vector<Phase>& phases,
                            const nlohmann::json& options) {
  nlohmann::json ph = nlohmann::json::array();
  for (const auto& p : phases) {
    nlohmann::json names = nlohmann::json::array();
    for (std::size_t i : p.layers) names.push_back(ws.stack().layer(i).name);
    ph.push_back({{"action", to_string(p.action)}, {"layers", names}});
  }
  return {{"command", to_string(command)},
          {"argv", argv},
          {"env", ws.stack().env.name},
          {"phases", ph},
          {"options", options}};
}

namespace {

std::optional<Action> action_named(const std::string& s) {
  for (Action a : {Action::Plan, Action::Apply, Action::Destroy})
    if (s == to_string(a)) return a;
  return std::nullopt;
}

// The phases recorded in run_start, minus what ended ok in that run.
std::vector<Phase> remaining_phases(const JournalRecord& start,
                                    const std::set<std::pair<std::string, std::string>>& done,
                                    const Workspace& ws) {
  std::vector<Phase> out;
  const auto& phases = start.raw.value("phases", nlohmann::json::array());
  if (!phases.is_array()) return out;
  for (const auto& p : phases) {
    if (!p.is_object()) continue;
    auto action = action_named(p.value("action", ""));
    if (!action) continue;
    Phase phase{*action, {}};
    for (const auto& n : p.value("layers", nlohmann::json::array())) {
      if (!n.is_string()) continue;
      std::string name = n.get<std::string>();
      auto pos = ws.manifest().position(name);
      if (!pos || !ws.stack().enabled[*pos]) continue;
      if (done.count({name, p.value("action", "")})) continue;
      phase.layers.push_back(*pos);
    }
    // A hand-edited journal may list layers twice or out of order; phases are in manifest order.
    std::sort(phase.layers.begin(), phase.layers.end());
    phase.layers.erase(std::unique(phase.layers.begin(), phase.layers.end()), phase.layers.end());
    out.push_back(std::move(phase));
  }
  return out;
}

}  // namespace

// plan and drift only read, and exec refuses what applies or destroys: a run of theirs never
// hides an unfinished apply or destroy. A run_start without a command (a damaged journal line)
// is not a run that can be resumed.
bool changes_infrastructure(const std::string& command) {
  if (command.empty()) return false;
  const std::optional<Command> c = parse_command(command);
  return !c || traits(*c).changes_infrastructure;
}

std::optional<ResumePoint> find_resume_point(const JournalContents& journal, const Workspace& ws) {
  // Walk the runs in order; remember the last one that did not end ok.
  const JournalRecord* last_start = nullptr;
  std::string last_result;
  for (const auto& r : journal.records) {
    if (r.type == "run_start" && changes_infrastructure(r.raw.value("command", ""))) {
      last_start = &r;
      last_result.clear();
    } else if (r.type == "run_end" && last_start && r.run_id == last_start->run_id) {
      last_result = r.result;
    }
  }
  if (!last_start || last_result == "ok") return std::nullopt;
  std::set<std::pair<std::string, std::string>> done;
  for (const auto& r : journal.records)
    if (r.type == "layer_end" && r.run_id == last_start->run_id &&
        (r.result == "ok" || r.result == "skipped"))
      done.insert({r.layer, r.action});
  ResumePoint point;
  point.run_id = last_start->run_id;
  point.command_word = last_start->raw.value("command", "");
  point.command = parse_command(point.command_word);
  point.options = last_start->raw.value("options", nlohmann::json::object());
  point.phases = remaining_phases(*last_start, done, ws);
  const auto& recorded = last_start->raw.value("phases", nlohmann::json::array());
  if (recorded.is_array())
    for (const auto& p : recorded)
      point.recorded_actions.push_back(p.is_object() && p.contains("action") &&
                                               p["action"].is_string()
                                           ? p["action"].get<std::string>()
                                           : std::string("?"));
  return point;
}

namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : ", ") + w;
  return s.empty() ? "none" : s;
}

// A resumable command's recorded phases must be the phases it runs, in its order.
bool has_shape(const ResumePoint& point) {
  if (!point.command || !traits(*point.command).changes_infrastructure) return false;
  const std::vector<Action>& shape = traits(*point.command).phases;
  if (shape.empty() || shape.size() != point.recorded_actions.size() ||
      shape.size() != point.phases.size())
    return false;
  for (std::size_t i = 0; i < shape.size(); ++i)
    if (point.recorded_actions[i] != to_string(shape[i])) return false;
  return true;
}

// A destroy phase re-derived from today's rules: refusals, then the journal's not-applied split,
// then every present dependent must be going away in the same phase.
Phase resumed_destroy(const Workspace& ws, const Preflight& pre, const ResumePoint& point,
                      const Phase& recorded, const std::set<std::string>& allow_destroy) {
  refuse_forbidden_destroys(ws, pre, recorded.layers, allow_destroy);
  Phase phase = destroy_phase(ws, pre, recorded.layers, {});
  std::vector<bool> in_phase(ws.stack().size(), false);
  for (std::size_t i : recorded.layers) in_phase[i] = true;
  std::vector<std::size_t> outside;
  for (std::size_t i : phase.layers)
    for (std::size_t d : ws.graph().descendants(i))
      if (!in_phase[d] && ws.stack().enabled[d]) {
        in_phase[d] = true;
        outside.push_back(d);
      }
  std::sort(outside.begin(), outside.end());
  Phase still = destroy_phase(ws, pre, outside, {});
  if (still.layers.empty()) return phase;
  std::string text = "cannot resume run " + point.run_id +
                     ": layers that depend on what it would destroy are still applied";
  for (std::size_t d : still.layers) text += "\n  - " + ws.stack().layer(d).name;
  throw refused_error(text +
                      "\ndestroy them first (stackctl destroy --only LAYER); nothing was started");
}

}  // namespace

void refuse_unresumable(const ResumePoint& point) {
  if (has_shape(point)) return;
  throw refused_error("cannot resume run " + point.run_id +
                      ": its journal record does not match a " + "run stackctl makes (command '" +
                      point.command_word + "' with phases " + joined(point.recorded_actions) +
                      "); nothing was started");
}

std::vector<Phase> resumed_phases(const Workspace& ws, const Preflight& pre,
                                  const ResumePoint& point,
                                  const std::set<std::string>& allow_destroy) {
  refuse_unresumable(point);
  std::vector<Phase> out;
  for (const Phase& p : point.phases)
    out.push_back(p.action == Action::Destroy ? resumed_destroy(ws, pre, point, p, allow_destroy)
                                              : p);
  return out;
}

}  // namespace stackctl
