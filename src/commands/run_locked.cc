// The part of a run that holds the env lock: journal, logs, dialect, executor, report.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include <spdlog/spdlog.h>

#include "stackctl/commands/gates.h"
#include "stackctl/commands/journal_compaction.h"
#include "stackctl/commands/run_folders.h"
#include "stackctl/commands/run_settings.h"
#include "stackctl/executor/allow_replace.h"
#include "stackctl/executor/journal_observer.h"
#include "stackctl/executor/skip_unchanged.h"
#include "stackctl/journal/lock.h"
#include "stackctl/plan/resume.h"
#include "stackctl/plan/saved_plans.h"
#include "stackctl/report/change_list.h"
#include "stackctl/report/plan_summary.h"
#include "stackctl/report/progress.h"
#include "stackctl/runner/dry_run.h"
#include "stackctl/runner/interrupts.h"
#include "stackctl/runner/redact.h"
#include "stackctl/runner/version_probe.h"
#include "stackctl/util/error.h"

namespace stackctl {
namespace fs = std::filesystem;

namespace {

bool runs_terragrunt(const Stack& stack, const std::vector<Phase>& phases) {
  for (const auto& p : phases)
    for (std::size_t i : p.layers)
      if (stack.layer(i).kind == LayerKind::Terragrunt) return true;
  return false;
}

// An apply phase (apply, rebuild, their resume) with a terragrunt layer: its plans may stream.
bool plans_to_apply(const Stack& stack, const std::vector<Phase>& phases) {
  for (const auto& p : phases)
    if (p.action == Action::Apply && runs_terragrunt(stack, {p})) return true;
  return false;
}

// Where plan files go: --out-dir (kept, with JSON), --plan-dir (read), else the run's log dir.
void place_plans(const RunRequest& req, const Workspace& ws, Command command, TaskSettings& task) {
  task.plan_dir = task.log_dir;
  if (!req.out_dir.empty() && command == Command::Plan) {
    task.plan_dir = fs::absolute(req.out_dir);
    task.keep_plan_json = true;
    make_private_folder(task.plan_dir, "plan folder");
  } else if (!req.plan_dir.empty() && command == Command::Apply) {
    task.plan_dir = fs::absolute(req.plan_dir);
    if (!fs::is_directory(task.plan_dir))
      throw usage_error("--plan-dir " + req.plan_dir + " is not a folder");
    task.use_saved_plans = true;
    task.saved_plan_stale = saved_plan_freshness(ws, task.plan_dir);
  }
}

// The files a plan or drift run leaves: summary.md and summary.json next to the saved plans,
// --summary-md FILE, and an entry appended to $GITHUB_STEP_SUMMARY. Secret values are redacted.
// A file that cannot be written is an error: a successful run then exits 1.
int write_plan_files(const RunRequest& req, const Workspace& ws, Command command,
                     const std::string& run_id, const RunResult& result, const TaskSettings& task,
                     int code) {
  PlanReport report = plan_report(ws, command, run_id, result);
  Redactor redactor(task.redact);
  const std::string md = redactor.apply(plan_markdown(report));
  struct Write {
    fs::path file;
    std::string text;
    bool append;
  };
  std::vector<Write> writes;
  if (command == Command::Plan && !req.out_dir.empty()) {
    SavedPlans saved = saved_plans_of(ws, report, now_iso8601());
    writes.push_back(
        {task.plan_dir / kSavedPlansFile, redactor.apply(to_json(saved).dump(2) + "\n"), false});
    writes.push_back({task.plan_dir / kSavedPlansMarkdown, md, false});
  }
  if (!req.summary_md.empty()) {
    fs::path file = fs::absolute(req.summary_md);
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);  // a failure shows when writing
    writes.push_back({file, md, false});
  }
  const char* step_summary = std::getenv("GITHUB_STEP_SUMMARY");
  if (step_summary && *step_summary) {
    std::error_code ec;
    bool empty = !fs::exists(step_summary, ec) || fs::file_size(step_summary, ec) == 0;
    writes.push_back({step_summary, (empty ? "" : "\n") + md, true});
  }
  for (const auto& w : writes) {
    std::string error;
    if (write_text_file(w.file, w.text, w.append, error)) continue;
    std::fprintf(stderr, "stackctl: %s\n", error.c_str());
    if (run_succeeded(command, code)) code = static_cast<int>(ExitCode::ChildFailed);
  }
  return code;
}

// Every apply fingerprints its terragrunt layers (so that a later --skip-unchanged can trust
// it); only --skip-unchanged skips. Applying saved plans (--plan-dir) records nothing: the
// plans were made from the inputs of another moment.
std::unique_ptr<InputsLedger> inputs_ledger(const RunRequest& req, const Workspace& ws,
                                            const std::vector<Phase>& phases,
                                            const std::string& run_id, TaskSettings& task) {
  const Stack& stack = ws.stack();
  bool applies = false;
  for (const auto& p : phases) applies = applies || p.action == Action::Apply;
  if (!applies || task.use_saved_plans || !runs_terragrunt(stack, phases)) return nullptr;
  const std::string version = std::to_string(task.version.major) + "." +
                              std::to_string(task.version.minor) + "." +
                              std::to_string(task.version.patch);
  EnvVars env = child_environment(task.base_env, task.version, stack.env.env, {});
  auto ledger = std::make_unique<InputsLedger>(stack, read_journal(ws.journal_file()), run_id,
                                               tools_identity(task.call.binary, version, env),
                                               ws.root(), req.skip_unchanged);
  task.inputs = ledger.get();
  return ledger;
}

// Takes the env lock, waiting up to `wait` while another run holds it; an interrupt meanwhile
// ends the wait (exit 130) instead of being swallowed until the lock comes free.
std::unique_ptr<EnvLock> wait_for_lock(const Context& ctx, const Workspace& ws, Command command,
                                       std::chrono::milliseconds wait, InterruptWatch& interrupts) {
  const LockMode mode = traits(command).lock;
  constexpr std::chrono::milliseconds kPoll{100};
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    interrupts.check("while waiting for the env lock");
    try {
      return std::make_unique<EnvLock>(ws.lock_file(), ws.stack().env.name, shell_join(ctx.argv),
                                       std::chrono::milliseconds(0), mode);
    } catch (const Error& e) {
      if (e.code() != ExitCode::Locked) throw;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw;
      interrupts.sleep(std::min(left, kPoll));
    }
  }
}

// An unscoped --allow-replace ADDR that no plan of a run that went through deleted or replaced
// is an error (exit 64) once the run ends: it allowed nothing, and is a typo or a stale flag.
int unmatched_allow_replace(const TaskSettings& task, const RunResult& result, Command command,
                            int code) {
  if (!run_succeeded(command, code)) return code;  // a run cut short did not read every plan
  const auto unmatched = unmatched_anywhere(task.allow_replace, result.layers);
  if (unmatched.empty()) return code;
  std::string text =
      "no plan of this run deletes or replaces what these name (they allowed nothing):";
  for (const auto& u : unmatched) text += "\n  - --allow-replace " + u;
  spdlog::error(
      "{}\ncorrect or drop the address, or scope it to its layer (LAYER:ADDR) to check it "
      "before that layer applies",
      text);
  return static_cast<int>(ExitCode::Usage);
}

JournalRecord run_record(const std::string& type, const std::string& run_id) {
  JournalRecord r;
  r.type = type;
  r.run_id = run_id;
  r.time = now_iso8601();
  return r;
}

}  // namespace

int run_with_lock(const Context& ctx, const RunRequest& req, const Workspace& ws, Command command,
                  const std::string& resumes, const std::vector<Phase>& phases,
                  RunSettings& settings, InterruptWatch& interrupts, const LockedChecks& checks) {
  const Stack& stack = ws.stack();
  std::unique_ptr<EnvLock> lock = wait_for_lock(ctx, ws, command, settings.lock_wait, interrupts);
  if (lock->took_over()) spdlog::warn("took over a stale lock {}", lock->took_over()->describe());
  if (checks.preview_holds) checks.preview_holds();
  JournalWriter journal(ws.journal_file());
  const std::string run_id = new_run_id();
  TaskSettings& task = settings.task;
  task.log_dir = ws.env_state_dir() / "runs" / run_id;
  make_log_folder(task.log_dir);
  place_plans(req, ws, command, task);

  RunFeedback feedback(ctx.console, ws, command, phases, settings.exec);
  auto real_runner = make_runner(ctx, feedback.runner_options());
  // The runner catches interrupts from now on; one that came just before is not lost, and after
  // any interrupt the latch starts no child.
  InterruptLatch latch(*real_runner, interrupts.received());
  ProcessRunner* runner = &latch;
  if (runs_terragrunt(stack, phases) && !settings.version_known)
    task.version = probe_terragrunt_version(*runner, task.call.binary, stack.tree, task.base_env,
                                            stack.env.file, ws.env_state_dir() / kVersionCacheFile);
  // An apply's plans write their stream when terragrunt runs OpenTofu 1.12+ (docs/terragrunt.md).
  PlanStreamSwitch plan_stream;
  if (!task.use_saved_plans && task.plans_are_written && plans_to_apply(stack, phases))
    plan_stream.on = probe_plan_stream(
        *runner, stack.tree, child_environment(task.base_env, task.version, stack.env.env, {}),
        ws.env_state_dir() / kTofuVersionCacheFile);
  task.plan_stream = &plan_stream;

  JournalRecord start = run_record("run_start", run_id);
  nlohmann::json options = recorded_options(req);
  if (!resumes.empty()) options["resumes"] = resumes;
  start.raw = describe_run(command, ctx.argv, ws, phases, options);
  journal.append(start);
  feedback.run_started(run_id, settings.exec.parallelism);

  JournalObserver journaled(journal, stack, run_id);
  const bool reports_plans = traits(command).reports_plans;
  ProcessRunner& children = *runner;
  auto observers = feedback.observers(&journaled);
  std::unique_ptr<InputsLedger> ledger = inputs_ledger(req, ws, phases, run_id, task);
  if (ledger) observers.push_back(ledger.get());
  GateReopener reopener(ws, task.confirmed_gates);  // a rebuild's destroy re-opens its gates
  observers.push_back(&reopener);
  Executor exec(stack, ws.graph(), children, task, observers, checks.guard);
  RunResult result = exec.run(phases, settings.exec);
  task.inputs = nullptr;  // the ledger ends with this function
  task.plan_stream = nullptr;
  feedback.stop_display();
  int code = unmatched_allow_replace(task, result, command, exit_code_of(result, req, command));
  if (reports_plans) code = write_plan_files(req, ws, command, run_id, result, task, code);

  JournalRecord end = run_record("run_end", run_id);
  end.result = run_succeeded(command, code) ? "ok"
               : code == 130                ? "interrupted"
               : code == 5                  ? "pending"
                                            : "failed";
  end.exit_code = code;
  journal.append(end);
  try {
    prune_after_run(ws,
                    run_id);  // keep_runs: still under the lock, after run_end made this run final
  } catch (const std::exception& e) {
    spdlog::warn("keep_runs: run folders not pruned: {}", e.what());
  }
  // Only under the exclusive lock: a plan or drift beside another plan must not replace the
  // journal that one is writing to.
  if (traits(command).lock == LockMode::Exclusive) {
    try {
      compact_after_run(ws);
    } catch (const std::exception& e) {
      spdlog::warn("journal not compacted: {}", e.what());
    }
  }
  lock->release();
  feedback.run_finished(code, result, task.log_dir);
  if (command == Command::Plan && ctx.console.format == OutputFormat::Text)
    std::cout << Redactor(task.redact).apply(planned_changes(stack, result.layers));
  report_run(ctx, ws, command, run_id, code, result, task.log_dir);
  return code;
}

}  // namespace stackctl
