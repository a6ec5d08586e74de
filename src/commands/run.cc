#include "stackctl/commands/run.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <optional>
#include <set>

#include <spdlog/spdlog.h>

#include "stackctl/commands/gates.h"
#include "stackctl/commands/real_state_probe.h"
#include "stackctl/commands/run_settings.h"
#include "stackctl/executor/journal_observer.h"
#include "stackctl/journal/lock.h"
#include "stackctl/plan/policy.h"
#include "stackctl/plan/preview_check.h"
#include "stackctl/plan/real_state.h"
#include "stackctl/plan/resume.h"
#include "stackctl/plan/run_plan.h"
#include "stackctl/plan/saved_plans.h"
#include "stackctl/report/change_list.h"
#include "stackctl/report/plan_summary.h"
#include "stackctl/runner/dry_run.h"
#include "stackctl/runner/interrupts.h"
#include "stackctl/runner/redact.h"
#include "stackctl/runner/version_probe.h"
#include "stackctl/util/duration.h"
#include "stackctl/util/error.h"
#include "stackctl/util/terminal_text.h"

namespace stackctl {
namespace fs = std::filesystem;

namespace {

// Reads the real state of the layers layers_to_probe names for phases and folds it into pre;
// false when there was nothing to read. The version probe it needs is the run's
// (run.version_known).
bool read_real_state(const Context& ctx, const Workspace& ws, const std::vector<Phase>& phases,
                     Preflight& pre, RunSettings& run, InterruptWatch& interrupts) {
  const Stack& stack = ws.stack();
  const std::vector<std::size_t> layers = layers_to_probe(stack, ws.graph(), pre, phases);
  if (layers.empty()) return false;
  interrupts.check("before the run started");
  auto real = make_runner(ctx);
  InterruptLatch runner(*real, interrupts.received());
  run.task.version =
      probe_terragrunt_version(runner, run.task.call.binary, stack.tree, run.task.base_env,
                               stack.env.file, ws.env_state_dir() / kVersionCacheFile);
  run.version_known = true;
  const auto probes = probe_real_states(runner, stack, run.task, layers, run.exec.parallelism);
  for (const auto& w : apply_real_state(stack, ws.graph(), pre, probes))
    std::fprintf(stderr, "warning: %s\n", terminal_safe(w).c_str());
  return true;
}

using PhasesOf = std::function<std::vector<Phase>(const Preflight&)>;

// The gates the phases apply whose confirmation changed between two readings of the journal.
std::vector<std::string> gate_differences(const Workspace& ws, const JournalContents& j,
                                          const std::vector<Phase>& phases,
                                          const std::set<std::string>& shown,
                                          const std::set<std::string>& now) {
  std::set<std::size_t> applied;
  for (const auto& p : phases)
    if (p.action == Action::Apply) applied.insert(p.layers.begin(), p.layers.end());
  std::vector<std::string> out;
  for (const GateState& g : gate_states(ws, j)) {
    const std::string& name = ws.stack().layer(g.layer).name;
    if (!applied.count(g.layer) || shown.count(name) == now.count(name)) continue;
    out.push_back(
        "gate " + name +
        (now.count(name) ? " is now " + g.describe() : " is now pending: " + g.describe()));
  }
  return out;
}

// Under the env lock (docs/contract.md, The preview and the lock): a run journaled since the
// preview may have changed what this one would do. The phases are planned again from the
// journal as it is now (the real state read again where the rules say so); when they, the run
// being resumed or the gates they apply differ from the preview, the run is refused before
// anything starts. Otherwise the fresh facts replace the preview's.
void check_preview_holds(const Context& ctx, const Workspace& ws, Command command,
                         const std::optional<ResumePoint>& point, const PhasesOf& phases_of,
                         const std::vector<Phase>& shown, Preflight& pre, RunSettings& run,
                         InterruptWatch& interrupts) {
  Preflight now = read_preflight(ws);
  if (!journal_changed(pre.journal, now.journal)) return;
  std::vector<std::string> differs;
  std::optional<ResumePoint> again = point ? find_resume_point(now.journal, ws) : std::nullopt;
  if (point && (!again || again->run_id != point->run_id))
    differs.push_back(again ? "the run to resume is now " + again->run_id +
                                  " (the preview resumed " + point->run_id + ")"
                            : "run " + point->run_id + " is no longer left to resume");
  std::vector<Phase> phases;
  if (differs.empty()) {
    try {
      phases = phases_of(now);
      if (traits(command).reads_real_state &&
          read_real_state(ctx, ws, phases, now, run, interrupts))
        phases = phases_of(now);
      differs = phase_differences(ws.stack(), shown, phases);
    } catch (const Error& e) {
      if (e.code() != ExitCode::Refused && e.code() != ExitCode::Usage) throw;
      std::string why = e.what();
      why = why.substr(0, why.find('\n'));
      differs.push_back("it would now be refused: " + why);
    }
  }
  std::set<std::string> gates = confirmed_gates(ws, now.journal);
  if (differs.empty())
    differs = gate_differences(ws, now.journal, shown, run.task.confirmed_gates, gates);
  if (differs.empty()) {
    pre = std::move(now);
    run.task.not_applied = pre.not_applied;
    run.task.confirmed_gates = std::move(gates);
    return;
  }
  std::string since;
  for (const auto& s : journaled_since(pre.journal, now.journal))
    since += (since.empty() ? "" : ", ") + s;
  std::string text = "refused: the journal changed since the preview" +
                     (since.empty() ? std::string() : " (" + since + ")") +
                     ", and this run would now differ from it:";
  for (const auto& d : differs) text += "\n  - " + d;
  throw refused_error(terminal_safe(text) +
                      "\nnothing was started; run the command again to see the new preview");
}

// Asks on the terminal, or insists on --yes (and --confirm-env for confirm: true envs).
void confirm_or_refuse(const Context& ctx, const RunRequest& req, const Stack& stack,
                       Command command, InterruptWatch& interrupts) {
  const CommandTraits& what = traits(command);
  if (req.dry_run || !what.changes_infrastructure) return;
  const std::string& env = stack.env.name;
  const std::string verb = what.name;
  if (what.destroys && stack.env.confirm) {
    if (req.yes && req.confirm_env == env) return;
    if (!ctx.stdin_is_terminal)
      throw refused_error("env '" + env + "' has confirm: true: pass --yes --confirm-env " + env +
                          " to " + verb + " it without a terminal");
    std::fprintf(stderr, "Type the env name (%s) to %s it: ", env.c_str(), verb.c_str());
    auto answer = interrupts.read_line(STDIN_FILENO, "at the confirmation prompt");
    if (!answer || *answer != env)
      throw refused_error("confirmation did not match '" + env + "'; nothing was started");
    return;
  }
  if (req.yes) return;
  if (!ctx.stdin_is_terminal)
    throw usage_error("stdin is not a terminal: pass --yes to " + verb + " without a prompt");
  std::fprintf(stderr, "Proceed? [y/N] ");
  auto answer = interrupts.read_line(STDIN_FILENO, "at the confirmation prompt");
  if (!answer || (*answer != "y" && *answer != "yes" && *answer != "Y"))
    throw refused_error("not confirmed; nothing was started");
}

}  // namespace

// The exit code a finished run maps to (docs/contract.md, Exit codes), most severe first.
int exit_code_of(const RunResult& run, const RunRequest& req, Command command) {
  if (run.interrupts > 0) return static_cast<int>(ExitCode::Interrupted);
  bool failed = false, refused = false, pending = false, changes = false;
  for (const auto& r : run.layers) {
    failed |= r.outcome == Outcome::Failed || r.outcome == Outcome::Interrupted;
    refused |= r.outcome == Outcome::Refused;
    pending |= r.outcome == Outcome::Pending;
    // A provisional plan will change what its unapplied dependency's outputs feed.
    changes |= (r.changes_known && r.changes.any()) || r.outcome == Outcome::Provisional;
  }
  if (refused) return static_cast<int>(ExitCode::Refused);
  if (failed) return static_cast<int>(ExitCode::ChildFailed);
  if (pending) return static_cast<int>(ExitCode::GatePending);
  const ChangesExit rule = traits(command).changes_exit;
  const bool detailed = rule == ChangesExit::Always ||
                        (rule == ChangesExit::WithDetailedExitcode && req.detailed_exitcode);
  if (detailed && changes) return static_cast<int>(ExitCode::Changes);
  return 0;
}

namespace {

void print_pending_gates(const Workspace& ws, const RunResult& run, const std::string& env) {
  std::optional<JournalContents> journal;  // read once, only when a gate is pending
  for (const auto& r : run.layers) {
    if (r.outcome != Outcome::Pending) continue;
    if (!journal) journal = read_journal(ws.journal_file());
    const std::string& name = ws.stack().layer(r.layer).name;
    std::fprintf(stderr, "\nmanual step '%s' is not confirmed yet:\n  %s\n", name.c_str(),
                 terminal_safe(r.message).c_str());
    const std::string why = pending_reason(ws, *journal, name);
    if (!why.empty()) std::fprintf(stderr, "(%s)\n", terminal_safe(why).c_str());
    std::fprintf(stderr, "when it is done, run: stackctl confirm --env %s %s\n", env.c_str(),
                 name.c_str());
  }
}

void print_interrupt_advice(const Workspace& ws, const RunResult& run) {
  for (const auto& r : run.layers) {
    if (r.outcome != Outcome::Interrupted) continue;
    std::fprintf(
        stderr,
        "%s was interrupted: terraform may still hold its state lock; if the next run "
        "reports 'Error acquiring the state lock', run 'terragrunt force-unlock LOCK_ID' in %s\n",
        ws.stack().layer(r.layer).name.c_str(), ws.stack().dirs[r.layer].c_str());
  }
}

}  // namespace

void report_run(const Context& ctx, const Workspace& ws, Command command, const std::string& run_id,
                int code, const RunResult& result, const fs::path& log_dir) {
  const Stack& stack = ws.stack();
  if (ctx.console.format == OutputFormat::Json) {
    std::vector<std::string> errors;
    for (const auto& r : result.layers)
      if (r.outcome == Outcome::Failed || r.outcome == Outcome::Refused)
        errors.push_back(stack.layer(r.layer).name + ": " + r.message);
    auto doc = result_document(to_string(command), stack.env.name, run_id, code, &stack,
                               result.layers, errors);
    std::cout << doc.dump(2) << std::endl;
  } else if (ctx.console.format == OutputFormat::Ndjson) {
    // stdout carries the event stream; the table is for whoever watches stderr.
    if (!ctx.console.quiet) std::cerr << "\n" << summary_table(stack, result.layers);
  } else if (command == Command::Drift) {
    std::cout << "\n" << drift_table(plan_report(ws, command, run_id, result));
  } else {  // the results: -q only silences progress
    std::cout << "\n" << summary_table(stack, result.layers);
  }
  print_pending_gates(ws, result, stack.env.name);
  print_interrupt_advice(ws, result);
  if (!ctx.console.quiet) std::fprintf(stderr, "logs: %s\n", log_dir.c_str());
}

// Prints every child's cwd and argv (on stdout, or inside the JSON document) and runs nothing.
int dry_run(const Context& ctx, const RunRequest& req, const Workspace& ws, Command command,
            const std::vector<Phase>& phases, RunSettings& run) {
  const bool json = ctx.console.format == OutputFormat::Json;
  run.task.log_dir = ws.env_state_dir() / "runs" / "dry-run";
  run.task.plan_dir = run.task.log_dir;
  run.task.plans_are_written = false;                        // nothing runs terraform
  if (command == Command::Apply && !req.plan_dir.empty()) {  // show the saved plans it would apply
    run.task.plan_dir = fs::absolute(req.plan_dir);
    run.task.use_saved_plans = true;
  }
  DryRunRunner dry(ctx.console.format == OutputFormat::Text ? stdout : stderr);
  Executor exec(ws.stack(), ws.graph(), dry, run.task, {});
  exec.run(phases, run.exec);
  if (json) {
    nlohmann::json calls = nlohmann::json::array();
    for (const auto& c : dry.calls())
      calls.push_back({{"layer", c.label}, {"cwd", c.cwd.string()}, {"argv", c.argv}});
    nlohmann::json doc =
        result_document(to_string(command), ws.stack().env.name, "", 0, &ws.stack(), {}, {});
    doc["dry_run"] = true;
    doc["calls"] = calls;
    std::cout << doc.dump(2) << std::endl;
  }
  return 0;
}

namespace {

// execute_run on an opened workspace, with the interrupts watched since the command began.
int run_in(const Context& ctx, const Workspace& ws, const RunRequest& request,
           InterruptWatch& interrupts) {
  const Stack& stack = ws.stack();

  // 1. What will run: the phases (fresh, or what is left of the run being resumed), always
  // checked against today's manifest, env and protection rules.
  RunRequest req = request;
  Preflight pre = read_preflight(ws);
  Command command = req.command;
  std::optional<ResumePoint> point;
  if (req.command == Command::Resume) {
    point = find_resume_point(pre.journal, ws);
    if (!point)
      throw usage_error("nothing to resume in env '" + stack.env.name + "': the last run ended ok");
    apply_recorded_options(point->options, req);
    refuse_unresumable(*point);
    command = *point->command;
  }
  RunSettings run = resolve_run_settings(ctx, req, ws, command);
  PhasesOf phases_of = [&](const Preflight& known) {
    if (!point) return plan_phases(ws, known, req);
    std::vector<Phase> out = resumed_phases(ws, known, *point, req.allow_destroy);
    // Saved plans are checked again as apply --plan-dir checks them at its start.
    if (command == Command::Apply && !req.plan_dir.empty() && out.size() == 1)
      out[0] = resumed_saved_plan_phase(ws, req.plan_dir, out[0]);
    return out;
  };
  std::vector<Phase> phases = phases_of(pre);
  // What the journal alone would run, checked again against the real state where it may be wrong.
  if (traits(command).reads_real_state && !req.dry_run &&
      read_real_state(ctx, ws, phases, pre, run, interrupts))
    phases = phases_of(pre);
  const std::string resumes = point ? point->run_id : "";
  run.task.not_applied = pre.not_applied;

  // 2. Preflight: variables, then the preview and the confirmation.
  if (!ctx.console.quiet) {
    if (!resumes.empty()) std::fprintf(stderr, "resuming run %s\n", resumes.c_str());
    std::fprintf(stderr, "%s", describe_phases(ws, pre, command, phases).c_str());
    if (command == Command::Apply && !req.plan_dir.empty() && !phases.empty())
      std::fprintf(stderr, "%s",
                   Redactor(run.task.redact)
                       .apply(saved_plan_changes(ws, phases[0], fs::absolute(req.plan_dir)))
                       .c_str());
    std::fprintf(stderr, "%s", describe_gates(ws, pre.journal, phases).c_str());
  }
  for (const auto& w : preview_warnings(ws, phases)) std::fprintf(stderr, "%s\n", w.c_str());
  std::vector<std::size_t> all;
  for (const auto& p : phases) all.insert(all.end(), p.layers.begin(), p.layers.end());
  auto missing = missing_variables(stack, all, run.process_env);
  if (!missing.empty()) {
    std::string text = "missing variables";
    for (const auto& m : missing) text += "\n  - " + m;
    if (!req.dry_run) throw refused_error(text + "\nnothing was started");
    spdlog::warn("{}\n(a real run would refuse to start)", text);
  }
  confirm_or_refuse(ctx, req, stack, command, interrupts);

  if (req.dry_run) return dry_run(ctx, req, ws, command, phases, run);
  interrupts.check("before the run started");
  // What the preview showed is asked again under the lock; a plan or drift changes nothing and
  // plans what it finds when each layer starts.
  LockedChecks checks;
  if (traits(command).changes_infrastructure)
    checks.preview_holds = [&] {
      check_preview_holds(ctx, ws, command, point, phases_of, phases, pre, run, interrupts);
    };
  EmptyDependentsGuard guard(stack, ws.graph(), run.task, pre.not_applied_why);
  checks.guard = &guard;
  return run_with_lock(ctx, req, ws, command, resumes, phases, run, interrupts, checks);
}

}  // namespace

int execute_run(const Context& ctx, const RunRequest& request) {
  // From here to the end an interrupt stops the command where it is, with exit 130.
  InterruptWatch interrupts;
  auto ws = open_workspace(ctx, request.env);
  return run_in(ctx, *ws, request, interrupts);
}

int execute_run(const Context& ctx, const Workspace& ws, const RunRequest& request) {
  InterruptWatch interrupts;
  return run_in(ctx, ws, request, interrupts);
}

}  // namespace stackctl
