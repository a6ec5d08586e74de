#include "stackctl/resume.h"

#include <set>

namespace stackctl {

nlohmann::json describe_run(const std::string& command, const std::vector<std::string>& argv,
                            const Workspace& ws, const std::vector<Phase>& phases,
                            const nlohmann::json& options) {
  nlohmann::json ph = nlohmann::json::array();
  for (const auto& p : phases) {
    nlohmann::json names = nlohmann::json::array();
    for (std::size_t i : p.layers) names.push_back(ws.stack().layer(i).name);
    ph.push_back({{"action", to_string(p.action)}, {"layers", names}});
  }
  return {{"command", command}, {"argv", argv}, {"env", ws.stack().env.name},
          {"phases", ph}, {"options", options}};
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
  for (const auto& p : phases) {
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
    out.push_back(std::move(phase));
  }
  return out;
}

// plan and drift only read; a run of theirs never hides an unfinished apply or destroy. A
// run_start without a command (a damaged journal line) is not a run that can be resumed.
bool changes_infrastructure(const std::string& command) {
  return !command.empty() && command != "plan" && command != "drift";
}

}  // namespace

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
  point.command = last_start->raw.value("command", "");
  point.options = last_start->raw.value("options", nlohmann::json::object());
  point.phases = remaining_phases(*last_start, done, ws);
  return point;
}

}  // namespace stackctl
