#include "stackctl/plan/run_plan.h"

#include <algorithm>
#include <sstream>

#include "stackctl/journal/journal.h"
#include "stackctl/manifest/prevent_destroy.h"
#include "stackctl/plan/policy.h"
#include "stackctl/plan/saved_plans.h"
#include "stackctl/util/error.h"

namespace stackctl {

namespace {

// True when the selection names layers (and so may name a protected one); --tier and
// --exclude only narrow the delete-back-to-the-data set.
bool names_layers(const SelectionOptions& sel) {
  return !sel.up_to.empty() || !sel.from.empty() || !sel.only.empty() || !sel.target.empty() ||
         sel.use_changed;
}

// Adds every enabled layer that depends on a selected one: it must be destroyed first.
std::vector<std::size_t> with_dependents(const Stack& stack, const Graph& g,
                                         const std::vector<std::size_t>& selected) {
  std::vector<bool> mark = g.closure(selected, true);
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < stack.size(); ++i)
    if (mark[i] && stack.enabled[i]) out.push_back(i);
  return out;
}

std::vector<std::size_t> destroy_selection(const Workspace& ws, const Preflight& pre,
                                           const RunRequest& req) {
  const Stack& stack = ws.stack();
  if (!names_layers(req.selection)) {
    auto base = destroyable_layers(stack, pre.protection);
    std::vector<std::size_t> out;
    if (req.selection.empty()) {
      out = base;
    } else {
      auto narrowed = select_layers(stack, ws.graph(), req.selection, Direction::Destroy);
      std::vector<bool> keep(stack.size(), false);
      for (std::size_t i : narrowed) keep[i] = true;
      for (std::size_t i : base)
        if (keep[i]) out.push_back(i);
    }
    // Every rule is checked on what will be destroyed, also when stackctl chose it.
    refuse_forbidden_destroys(ws, pre, out, req.allow_destroy);
    return out;
  }
  auto selected = with_dependents(
      stack, ws.graph(), select_layers(stack, ws.graph(), req.selection, Direction::Destroy));
  for (const auto& name : req.selection.exclude) {
    auto pos = ws.manifest().position(name);
    if (pos && std::find(selected.begin(), selected.end(), *pos) != selected.end())
      throw usage_error("cannot exclude '" + name +
                        "' from this destroy: it depends on a layer being destroyed");
  }
  refuse_forbidden_destroys(ws, pre, selected, req.allow_destroy);
  return selected;
}

Phase apply_phase(const Workspace& ws, const SelectionOptions& sel, Action action) {
  return Phase{action, select_layers(ws.stack(), ws.graph(), sel, Direction::Apply)};
}

// drift: a plan of every selected terragrunt layer; plans only read, so they need no order. A
// layer the journal shows holds nothing has nothing to drift: it is listed as not applied, so a
// scheduled drift job on a partly built env stays quiet.
Phase drift_phase(const Workspace& ws, const Preflight& pre, const SelectionOptions& sel) {
  Phase phase{Action::Plan, {}};
  for (std::size_t i : select_layers(ws.stack(), ws.graph(), sel, Direction::Apply)) {
    if (ws.stack().layer(i).kind != LayerKind::Terragrunt) continue;
    (pre.not_applied.count(ws.stack().layer(i).name) ? phase.not_applied : phase.layers)
        .push_back(i);
  }
  phase.unordered = true;
  return phase;
}

}  // namespace

// The destroy phase over selected; layers named with --only always run.
Phase destroy_phase(const Workspace& ws, const Preflight& pre,
                    const std::vector<std::size_t>& selected,
                    const std::vector<std::string>& named) {
  Phase phase{Action::Destroy, {}};
  for (std::size_t i : selected) {
    const Layer& l = ws.stack().layer(i);
    bool explicit_name = std::find(named.begin(), named.end(), l.name) != named.end();
    if (l.kind == LayerKind::Terragrunt && !explicit_name && pre.not_applied.count(l.name))
      phase.not_applied.push_back(i);
    else
      phase.layers.push_back(i);
  }
  return phase;
}

Preflight read_preflight(const Workspace& ws) {
  Preflight pre;
  pre.journal = read_journal(ws.journal_file());
  std::vector<bool> applied = applied_per_journal(ws.manifest(), pre.journal);
  pre.not_applied = not_applied_per_journal(ws.manifest(), pre.journal, applied);
  pre.protection = protection_of(ws.stack(), ws.graph(), std::move(applied));
  return pre;
}

void refuse_forbidden_destroys(const Workspace& ws, const Preflight& pre,
                               const std::vector<std::size_t>& selected,
                               const std::set<std::string>& allow_destroy) {
  auto refusals = destroy_refusals(ws.stack(), ws.graph(), pre.protection, selected, allow_destroy);
  for (auto& r : prevent_destroy_refusals(ws.stack(), selected)) refusals.push_back(std::move(r));
  if (refusals.empty()) return;
  std::string text =
      "refusing to destroy: the selection includes layers that must not be destroyed";
  for (const auto& r : refusals) text += "\n  - " + r;
  throw refused_error(text + "\nnothing was started");
}

std::vector<Phase> plan_phases(const Workspace& ws, const Preflight& pre, const RunRequest& req) {
  switch (req.command) {
    case Command::Plan:
      return {apply_phase(ws, req.selection, Action::Plan)};
    case Command::Apply:
      if (!req.plan_dir.empty()) return {saved_plan_phase(ws, req)};
      return {apply_phase(ws, req.selection, Action::Apply)};
    case Command::Drift:
      return {drift_phase(ws, pre, req.selection)};
    case Command::Destroy:
      return {destroy_phase(ws, pre, destroy_selection(ws, pre, req), req.selection.only)};
    case Command::Rebuild: {
      SelectionOptions all;
      RunRequest everything = req;
      everything.selection = all;
      return {destroy_phase(ws, pre, destroy_selection(ws, pre, everything), {}),
              apply_phase(ws, req.selection, Action::Apply)};
    }
    case Command::Resume:
    case Command::Exec:
      break;
  }
  throw usage_error("unknown run command '" + std::string(to_string(req.command)) + "'");
}

namespace {

// What a manual or command layer does in a phase (they act on apply only).
std::string step_note(const Layer& l, Action action) {
  if (l.kind == LayerKind::Manual)
    return action == Action::Apply ? "manual step"
                                   : "manual step: nothing to " + std::string(to_string(action));
  if (l.kind != LayerKind::Command) return "";
  if (action != Action::Apply) return "command step: runs on apply only";
  std::string c;
  for (const auto& w : l.command) c += (c.empty() ? "" : " ") + w;
  return "command: " + c;
}

}  // namespace

std::string describe_phases(const Workspace& ws, const Preflight& pre, Command command,
                            const std::vector<Phase>& phases) {
  const Stack& s = ws.stack();
  std::ostringstream out;
  out << "stackctl " << to_string(command) << " on env '" << s.env.name << "':\n";
  for (std::size_t p = 0; p < phases.size(); ++p) {
    const Phase& ph = phases[p];
    out << (phases.size() > 1 ? "phase " + std::to_string(p + 1) + ": " : std::string())
        << to_string(ph.action) << " " << ph.layers.size() << " layer"
        << (ph.layers.size() == 1 ? "" : "s")
        << (ph.unordered                   ? " (in any order)"
            : ph.action == Action::Destroy ? " (dependents first)"
                                           : " (in dependency order)")
        << "\n";
    auto order = ph.layers;
    if (ph.action == Action::Destroy) order.assign(ph.layers.rbegin(), ph.layers.rend());
    for (std::size_t i : order) {
      const Layer& l = s.layer(i);
      std::string what = step_note(l, ph.action);
      out << "  " << to_string(ph.action) << "  " << l.name;
      if (!l.tier.empty()) out << "  [" << l.tier << "]";
      std::string note = protection_note(s, pre.protection, i);
      if (!note.empty()) out << "  " << note;
      if (!what.empty()) out << "  " << what;
      out << "\n";
    }
    for (std::size_t i : ph.not_applied) {
      auto why = pre.not_applied_why.find(s.layer(i).name);
      out << "  skip     " << s.layer(i).name << "  not applied ("
          << (why == pre.not_applied_why.end() ? "per the journal" : why->second) << ")\n";
    }
    if (ph.action == Action::Destroy) {
      std::vector<bool> chosen(s.size(), false);
      for (std::size_t i : ph.layers) chosen[i] = true;
      for (std::size_t i : ph.not_applied) chosen[i] = true;
      std::size_t kept = 0;
      std::ostringstream keep;
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (!pre.protection.present(s, i) || chosen[i]) continue;
        std::string note = protection_note(s, pre.protection, i);
        if (note.empty()) continue;
        ++kept;
        keep << "  keep     " << s.layer(i).name << "  " << note << "\n";
      }
      if (kept) out << "kept " << kept << " layer" << (kept == 1 ? "" : "s") << ":\n" << keep.str();
    }
  }
  return out.str();
}

std::vector<std::string> preview_warnings(const Workspace& ws, const std::vector<Phase>& phases) {
  std::vector<bool> shown(ws.stack().size(), false);
  for (const auto& p : phases) {
    for (std::size_t i : p.layers) shown[i] = true;
    for (std::size_t i : p.not_applied) shown[i] = true;
  }
  std::vector<std::string> out;
  for (const auto& low : protection_lowerings(ws.stack()))
    if (shown[low.layer]) out.push_back(low.warning.str());
  return out;
}

}  // namespace stackctl
