#include "stackctl/plan/preview_check.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace stackctl {

namespace {

// A record as written: its whole line when read from a file, else the fields that name it.
std::string identity(const JournalRecord& r) {
  if (!r.raw.is_null()) return r.raw.dump();
  return r.type + "\n" + r.run_id + "\n" + r.time + "\n" + r.layer + "\n" + r.action + "\n" +
         r.result;
}

std::string action_list(const std::vector<Phase>& phases) {
  std::string out;
  for (const auto& p : phases) out += (out.empty() ? "" : ", ") + std::string(to_string(p.action));
  return out.empty() ? "nothing" : out;
}

bool has(const std::vector<std::size_t>& v, std::size_t i) {
  return std::find(v.begin(), v.end(), i) != v.end();
}

// The lines of one phase whose action is the same in both.
void phase_lines(const Stack& stack, const Phase& shown, const Phase& now,
                 std::vector<std::string>& out) {
  const std::string verb = to_string(now.action);
  const std::string done = now.action == Action::Destroy ? "destroyed"
                           : now.action == Action::Apply ? "applied"
                                                         : "planned";
  std::set<std::size_t> all(shown.layers.begin(), shown.layers.end());
  all.insert(shown.not_applied.begin(), shown.not_applied.end());
  all.insert(now.layers.begin(), now.layers.end());
  all.insert(now.not_applied.begin(), now.not_applied.end());
  for (std::size_t i : all) {  // manifest order
    const std::string& name = stack.layer(i).name;
    const bool ran = has(shown.layers, i), runs = has(now.layers, i);
    const bool skipped = has(shown.not_applied, i), skips = has(now.not_applied, i);
    if (ran == runs && skipped == skips) continue;
    if (runs)
      out.push_back(verb + ": " + name + " would now be " + done +
                    (skipped ? " (the preview skipped it)" : " (it was not in the preview)"));
    else if (skips)
      out.push_back(
          verb + ": " + name + " would now be skipped as not applied" +
          (ran ? " (the preview showed it " + done + ")" : " (it was not in the preview)"));
    else
      out.push_back(verb + ": " + name + " is no longer in it");
  }
}

}  // namespace

bool journal_changed(const JournalContents& before, const JournalContents& after) {
  if (before.records.size() != after.records.size()) return true;
  return !after.records.empty() &&
         identity(before.records.back()) != identity(after.records.back());
}

std::vector<std::string> journaled_since(const JournalContents& before,
                                         const JournalContents& after) {
  std::set<std::string> known, runs;
  for (const auto& r : before.records) known.insert(identity(r));
  std::map<std::string, std::string> commands;  // run id -> command, from its run_start
  for (const auto& r : after.records)
    if (r.type == "run_start" && r.raw.is_object()) commands[r.run_id] = r.raw.value("command", "");
  std::vector<std::string> out;
  for (const auto& r : after.records) {
    if (known.count(identity(r))) continue;
    if (r.type == "confirm" || r.type == "withdraw") {
      const std::string by = r.raw.is_object() ? r.raw.value("user", "") : "";
      out.push_back(r.type + " of " + r.layer + (by.empty() ? "" : " by " + by));
    } else if (!r.run_id.empty() && runs.insert(r.run_id).second) {
      const std::string& command = commands[r.run_id];
      out.push_back("run " + r.run_id + (command.empty() ? "" : " (" + command + ")"));
    }
  }
  return out;
}

std::vector<std::string> phase_differences(const Stack& stack, const std::vector<Phase>& shown,
                                           const std::vector<Phase>& now) {
  std::vector<std::string> out;
  bool same_actions = shown.size() == now.size();
  for (std::size_t k = 0; same_actions && k < now.size(); ++k)
    same_actions = shown[k].action == now[k].action;
  if (!same_actions) {
    out.push_back("the phases are now " + action_list(now) + " (the preview showed " +
                  action_list(shown) + ")");
    return out;
  }
  for (std::size_t k = 0; k < now.size(); ++k) phase_lines(stack, shown[k], now[k], out);
  return out;
}

}  // namespace stackctl
