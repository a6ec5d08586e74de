// The part of a run that holds the env lock: journal, logs, dialect, executor, report.
#include <cstdio>
#include <iostream>

#include "stackctl/dry_run.h"
#include "stackctl/error.h"
#include "stackctl/journal_observer.h"
#include "stackctl/lock.h"
#include "stackctl/resume.h"
#include "stackctl/run_settings.h"

namespace stackctl {
namespace fs = std::filesystem;

namespace {

bool runs_terragrunt(const Stack& stack, const std::vector<Phase>& phases) {
  for (const auto& p : phases)
    for (std::size_t i : p.layers)
      if (stack.layer(i).kind == LayerKind::Terragrunt) return true;
  return false;
}

// Runs `terragrunt --version` once to pick the non-interactive variable of its dialect.
TerragruntVersion detect_version(ProcessRunner& runner, const TaskSettings& task,
                                 const Stack& stack) {
  ChildSpec spec;
  spec.argv = {task.call.binary, "--version"};
  spec.cwd = stack.tree;
  spec.env = task.base_env;
  spec.capture_stdout = true;
  ChildResult r = run_to_completion(runner, spec);
  if (!r.spawn_error.empty())
    throw Error(ExitCode::ChildFailed,
                "cannot run terragrunt '" + task.call.binary + "': " + r.spawn_error +
                    "\nset it with --terragrunt PATH, STACKCTL_TERRAGRUNT or terragrunt.binary in " +
                    stack.env.file.string());
  auto v = parse_terragrunt_version(r.stdout_data + "\n" + r.tail);
  if (v) return *v;
  std::fprintf(stderr, "warning: could not read the version from '%s --version' (%s); assuming 0.73 or later\n",
               task.call.binary.c_str(), r.describe().c_str());
  return TerragruntVersion{0, 73, 0};
}

// Where plan files go: --out-dir (kept, with JSON), --plan-dir (read), else the run's log dir.
void place_plans(const RunRequest& req, const std::string& command, TaskSettings& task) {
  task.plan_dir = task.log_dir;
  if (!req.out_dir.empty() && command == "plan") {
    task.plan_dir = fs::absolute(req.out_dir);
    task.keep_plan_json = true;
    fs::create_directories(task.plan_dir);
  } else if (!req.plan_dir.empty() && command == "apply") {
    task.plan_dir = fs::absolute(req.plan_dir);
    if (!fs::is_directory(task.plan_dir))
      throw usage_error("--plan-dir " + req.plan_dir + " is not a folder");
    task.use_saved_plans = true;
  }
}

JournalRecord run_record(const std::string& type, const std::string& run_id) {
  JournalRecord r;
  r.type = type;
  r.run_id = run_id;
  r.time = now_iso8601();
  return r;
}

}  // namespace

int exit_code_of(const RunResult& run, const RunRequest& req, const std::string& command);
void report_run(const Context& ctx, const Workspace& ws, const std::string& command,
                const std::string& run_id, int code, const RunResult& result,
                const fs::path& log_dir);

int run_with_lock(const Context& ctx, const RunRequest& req, const Workspace& ws,
                  const std::string& command, const std::string& resumes,
                  const std::vector<Phase>& phases, RunSettings& settings) {
  const Stack& stack = ws.stack();
  EnvLock lock(ws.lock_file(), stack.env.name, shell_join(ctx.argv), settings.lock_wait);
  if (lock.took_over())
    std::fprintf(stderr, "warning: took over a stale lock %s\n", lock.took_over()->describe().c_str());
  JournalWriter journal(ws.journal_file());
  const std::string run_id = new_run_id();
  TaskSettings& task = settings.task;
  task.log_dir = ws.env_state_dir() / "runs" / run_id;
  fs::create_directories(task.log_dir);
  place_plans(req, command, task);

  auto runner = make_process_runner();
  if (runs_terragrunt(stack, phases)) task.version = detect_version(*runner, task, stack);

  JournalRecord start = run_record("run_start", run_id);
  nlohmann::json options = recorded_options(req);
  if (!resumes.empty()) options["resumes"] = resumes;
  start.raw = describe_run(command, ctx.argv, ws, phases, options);
  journal.append(start);

  std::size_t total = 0;
  for (const auto& p : phases) total += p.layers.size();
  ProgressLines progress(stack, ctx.console, total, stderr);
  JournalObserver journaled(journal, stack, run_id);
  Executor exec(stack, ws.graph(), *runner, task, {&journaled, &progress});
  RunResult result = exec.run(phases, settings.exec);
  int code = exit_code_of(result, req, command);

  JournalRecord end = run_record("run_end", run_id);
  end.result = code == 0 || code == 2 ? "ok" : code == 130 ? "interrupted" : code == 5 ? "pending" : "failed";
  end.exit_code = code;
  journal.append(end);
  lock.release();
  report_run(ctx, ws, command, run_id, code, result, task.log_dir);
  return code;
}

}  // namespace stackctl
