// Runbook gates: their state from the journal, the preview's gate lines, re-opening during a
// run, and the `confirm` and `gates` commands.
#include "stackctl/commands/gates.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "stackctl/util/error.h"
#include "stackctl/util/suggest.h"
#include "stackctl/util/terminal_text.h"

namespace stackctl {

namespace {

// The direct terragrunt dependencies of manual layer i: the layers whose loss re-opens it.
std::vector<std::size_t> gate_dependencies(const Workspace& ws, std::size_t i) {
  std::vector<std::size_t> out;
  for (std::size_t d : ws.graph().deps(i))
    if (ws.stack().layer(d).kind == LayerKind::Terragrunt) out.push_back(d);
  return out;
}

std::string resources(int n) { return std::to_string(n) + " resource" + (n == 1 ? "" : "s"); }

bool ran(const std::string& result) {
  return result == "ok" || result == "failed" || result == "interrupted";
}

void apply_record(const JournalRecord& r, GateState& g, const std::set<std::string>& deps) {
  if (r.type == "confirm") {
    g = GateState{g.layer, true, r.raw.value("user", ""), r.time, "", "", std::nullopt};
  } else if (r.type == "withdraw" && g.confirmed) {
    g.confirmed = false;
    g.withdrawn_by = r.raw.value("user", "");
    g.withdrawn_at = r.time;
  } else if (r.type == "layer_end" && g.confirmed && deps.count(r.layer)) {
    std::string what = reopening_effect(r.action, r.result, r.changes);
    if (what.empty()) return;
    g.confirmed = false;
    g.reopened = GateReopening{r.layer, what, r.time, r.run_id};
  }
}

const Layer& named_step(const Workspace& ws, const std::string& name) {
  const Layer* l = ws.manifest().find(name);
  if (!l) {
    std::vector<std::string> names;
    for (const auto& x : ws.manifest().layers)
      if (x.kind == LayerKind::Manual) names.push_back(x.name);
    throw usage_error("unknown manual step '" + name + "'" + did_you_mean(name, names));
  }
  if (l->kind != LayerKind::Manual)
    throw usage_error("'" + name + "' is a " + to_string(l->kind) + " layer, not a manual step");
  return *l;
}

std::string who(const std::string& user) { return user.empty() ? "an unknown user" : user; }

std::string confirmation_text(const GateState& g) {
  return "confirmed by " + who(g.confirmed_by) + " at " + g.confirmed_at;
}

const GateState* find_gate(const Workspace& ws, const std::vector<GateState>& gates,
                           const std::string& name) {
  for (const auto& g : gates)
    if (ws.stack().layer(g.layer).name == name) return &g;
  return nullptr;
}

}  // namespace

std::string reopening_effect(const std::string& action, const std::string& result,
                             const ChangeCounts& changes) {
  if (!ran(result)) return "";
  if (action == "destroy")
    return result == "ok" ? "destroyed" : "destroyed in part (" + result + ")";
  if (action != "apply") return "";
  if (changes.replace > 0) return "replaced " + resources(changes.replace);
  if (changes.destroy > 0) return "deleted " + resources(changes.destroy);
  return "";
}

std::string GateReopening::describe() const {
  return layer + " " + what + " at " + time + (run_id.empty() ? "" : " (run " + run_id + ")");
}

std::string GateState::describe() const {
  if (confirmed) return confirmation_text(*this);
  if (reopened)
    return "re-opened: " + reopened->describe() + "; it was " + confirmation_text(*this);
  if (!withdrawn_at.empty())
    return "withdrawn by " + who(withdrawn_by) + " at " + withdrawn_at + "; it was " +
           confirmation_text(*this);
  return "never confirmed";
}

std::vector<GateState> gate_states(const Workspace& ws, const JournalContents& j) {
  const Stack& s = ws.stack();
  std::vector<GateState> gates;
  std::vector<std::set<std::string>> deps;
  std::map<std::string, std::size_t> by_name;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!s.enabled[i] || s.layer(i).kind != LayerKind::Manual) continue;
    by_name[s.layer(i).name] = gates.size();
    GateState g;
    g.layer = i;
    gates.push_back(g);
    std::set<std::string> names;
    for (std::size_t d : gate_dependencies(ws, i)) names.insert(s.layer(d).name);
    deps.push_back(std::move(names));
  }
  for (const JournalRecord& r : j.records) {
    if (r.type == "confirm" || r.type == "withdraw") {
      auto it = by_name.find(r.layer);
      if (it != by_name.end()) apply_record(r, gates[it->second], deps[it->second]);
    } else if (r.type == "layer_end") {
      for (std::size_t g = 0; g < gates.size(); ++g) apply_record(r, gates[g], deps[g]);
    }
  }
  return gates;
}

std::set<std::string> confirmed_gates(const Workspace& ws, const JournalContents& j) {
  std::set<std::string> out;
  for (const auto& g : gate_states(ws, j))
    if (g.confirmed) out.insert(ws.stack().layer(g.layer).name);
  return out;
}

std::string describe_gates(const Workspace& ws, const JournalContents& j,
                           const std::vector<Phase>& phases) {
  std::set<std::size_t> destroyed, applied;
  for (const auto& p : phases)
    for (std::size_t i : p.layers) (p.action == Action::Destroy ? destroyed : applied).insert(i);
  std::ostringstream out;
  for (const GateState& g : gate_states(ws, j)) {
    if (!applied.count(g.layer)) continue;
    const std::string& name = ws.stack().layer(g.layer).name;
    std::string lost;
    for (std::size_t d : gate_dependencies(ws, g.layer))
      if (destroyed.count(d)) lost += (lost.empty() ? "" : ", ") + ws.stack().layer(d).name;
    out << "  gate     " << name << "  ";
    if (!g.confirmed)
      out << "pending: " << g.describe() << "\n";
    else if (!lost.empty())
      out << g.describe() << ", but this run destroys " << lost
          << " first: it will be pending again\n";
    else
      out << g.describe() << "\n";
  }
  std::string text = out.str();
  return text.empty() ? text : "gates:\n" + terminal_safe(text);
}

std::string pending_reason(const Workspace& ws, const JournalContents& j, const std::string& gate) {
  auto gates = gate_states(ws, j);
  const GateState* g = find_gate(ws, gates, gate);
  if (!g || g->confirmed || (!g->reopened && g->withdrawn_at.empty())) return "";
  return g->describe();
}

GateReopener::GateReopener(const Workspace& ws, std::set<std::string>& confirmed)
    : ws_(ws), confirmed_(confirmed) {}

void GateReopener::layer_finished(const LayerResult& r) {
  if (reopening_effect(to_string(r.action), to_string(r.outcome), r.changes).empty()) return;
  for (std::size_t g : ws_.graph().dependents(r.layer))
    if (ws_.stack().layer(g).kind == LayerKind::Manual) confirmed_.erase(ws_.stack().layer(g).name);
}

std::string current_user_name() {
  struct passwd entry {};
  struct passwd* found = nullptr;
  char buffer[4096];
  if (::getpwuid_r(::geteuid(), &entry, buffer, sizeof buffer, &found) == 0 && found != nullptr &&
      found->pw_name != nullptr && *found->pw_name != '\0')
    return found->pw_name;
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "uid " + std::to_string(::geteuid());
}

int confirm_steps(const Context& ctx, const std::string& env, const std::vector<std::string>& steps,
                  bool withdraw) {
  auto ws = open_workspace(ctx, env);
  for (const auto& step : steps) named_step(*ws, step);
  auto states = gate_states(*ws, read_journal(ws->journal_file()));
  JournalWriter journal(ws->journal_file());
  const std::string user = current_user_name();
  for (const auto& step : steps) {
    const GateState* g = find_gate(*ws, states, step);
    if (withdraw && !(g && g->confirmed)) {
      std::cerr << "manual step '" << step << "' is not confirmed in env " << env
                << ": nothing to withdraw\n";
      continue;
    }
    JournalRecord r;
    r.type = withdraw ? "withdraw" : "confirm";
    r.time = now_iso8601();
    r.layer = step;
    r.raw["user"] = user;
    journal.append(r);
    if (withdraw)
      std::cerr << "withdrew the confirmation of manual step '" << step << "' in env " << env
                << " (" << user << ")\n";
    else
      std::cerr << "recorded manual step '" << step << "' as done in env " << env << " (" << user
                << ")\n";
  }
  return 0;
}

namespace {

nlohmann::json or_null(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

nlohmann::json gates_json(const Workspace& ws, const std::vector<GateState>& gates) {
  nlohmann::json list = nlohmann::json::array();
  for (const GateState& g : gates) {
    const Layer& l = ws.stack().layer(g.layer);
    nlohmann::json deps = nlohmann::json::array();
    for (std::size_t d : gate_dependencies(ws, g.layer)) deps.push_back(ws.stack().layer(d).name);
    nlohmann::json reopened = nullptr;
    if (g.reopened)
      reopened = {{"layer", g.reopened->layer},
                  {"what", g.reopened->what},
                  {"time", g.reopened->time},
                  {"run_id", g.reopened->run_id}};
    list.push_back({{"name", l.name},
                    {"state", g.confirmed ? "confirmed" : "pending"},
                    {"depends_on", deps},
                    {"instructions", l.instructions},
                    {"confirmed_by", or_null(g.confirmed_by)},
                    {"confirmed_at", or_null(g.confirmed_at)},
                    {"withdrawn_by", or_null(g.withdrawn_by)},
                    {"withdrawn_at", or_null(g.withdrawn_at)},
                    {"reopened", reopened},
                    {"detail", g.describe()}});
  }
  return {{"command", "gates"},
          {"env", ws.stack().env.name},
          {"success", true},
          {"exit_code", 0},
          {"gates", list}};
}

std::string gates_table(const Workspace& ws, const std::vector<GateState>& gates,
                        const std::string& env) {
  std::size_t w = 4;
  for (const auto& g : gates) w = std::max(w, ws.stack().layer(g.layer).name.size());
  const int width = static_cast<int>(w) + 2;
  std::ostringstream o;
  o << std::left << std::setw(width) << "GATE" << std::setw(11) << "STATE"
    << "DETAIL\n";
  std::string pending;
  for (const auto& g : gates) {
    const std::string& name = ws.stack().layer(g.layer).name;
    o << std::setw(width) << name << std::setw(11) << (g.confirmed ? "confirmed" : "pending")
      << g.describe() << "\n";
    if (!g.confirmed) pending += " " + name;
  }
  if (!pending.empty())
    o << "\nwhen the pending steps are done: stackctl confirm --env " << env << pending << "\n";
  return o.str();
}

}  // namespace

int show_gates(const Context& ctx, const std::string& env) {
  auto ws = open_workspace(ctx, env);
  JournalContents j = read_journal(ws->journal_file());
  for (const auto& w : j.warnings) std::cerr << "warning: " << w << "\n";
  auto gates = gate_states(*ws, j);
  if (ctx.console.format == OutputFormat::Json) {
    std::cout << gates_json(*ws, gates).dump(2) << std::endl;
    return 0;
  }
  if (gates.empty()) {
    std::cout << "env " << env << " has no manual steps\n";
    return 0;
  }
  // Names and users come from files anyone may edit: nothing in them moves the cursor.
  std::cout << terminal_safe(gates_table(*ws, gates, env));
  return 0;
}

}  // namespace stackctl
