// `stackctl exec`: one terragrunt command over the selected layers, never around protection.
#include "stackctl/commands/exec.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "stackctl/commands/changed.h"
#include "stackctl/commands/run_folders.h"
#include "stackctl/commands/run_settings.h"
#include "stackctl/journal/journal.h"
#include "stackctl/journal/lock.h"
#include "stackctl/plan/policy.h"
#include "stackctl/plan/run_plan.h"
#include "stackctl/report/layer_output.h"
#include "stackctl/runner/dry_run.h"
#include "stackctl/runner/interrupts.h"
#include "stackctl/runner/redact.h"
#include "stackctl/runner/version_probe.h"
#include "stackctl/util/error.h"
#include "stackctl/util/terminal_text.h"

namespace stackctl {
namespace fs = std::filesystem;

namespace {

bool is_one_of(const std::string& word, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return word == n; });
}

// The command words of args: the first two words that are not flags.
std::vector<std::string> command_words(const std::vector<std::string>& args) {
  std::vector<std::string> words;
  for (const auto& a : args)
    if (!a.empty() && a[0] != '-' && words.size() < 2) words.push_back(a);
  return words;
}

JournalRecord record(const std::string& type, const std::string& run_id) {
  JournalRecord r;
  r.type = type;
  r.run_id = run_id;
  r.time = now_iso8601();
  return r;
}

// The selected terragrunt layers, in manifest (dependency) order.
std::vector<std::size_t> exec_layers(const Workspace& ws, const Preflight& pre,
                                     const std::string& env, const SelectionOptions& selection) {
  RunRequest req;
  req.command = Command::Plan;
  req.env = env;
  req.selection = selection;
  std::vector<std::size_t> out;
  for (const auto& phase : plan_phases(ws, pre, req))
    for (std::size_t i : phase.layers)
      if (ws.stack().layer(i).kind == LayerKind::Terragrunt) out.push_back(i);
  std::sort(out.begin(), out.end());
  return out;
}

void refuse_unsafe(const Workspace& ws, const Preflight& pre,
                   const std::vector<std::size_t>& layers, const std::vector<std::string>& args) {
  std::string what;
  const ExecClass c = classify_exec(args, what);
  if (c == ExecClass::Forbidden)
    throw refused_error(
        "exec refuses 'terragrunt " + what +
        "': it applies or destroys outside stackctl's "
        "order, journal and guards; use stackctl apply or stackctl destroy\nnothing was started");
  if (c != ExecClass::ChangesState) return;
  std::string list;
  for (std::size_t i : layers) {
    const std::string note = protection_note(ws.stack(), pre.protection, i);
    if (!note.empty()) list += "\n  - " + ws.stack().layer(i).name + ": " + note;
  }
  if (!list.empty())
    throw refused_error(
        "exec refuses 'terragrunt " + what +
        "' on protected and pinned layers (it may "
        "change their state):" +
        list + "\nleave them out of the selection (--exclude, --only)\nnothing was started");
}

struct ExecRun {
  const Workspace& ws;
  ProcessRunner& runner;
  JournalWriter& journal;
  std::string run_id;
  fs::path log_dir;
  std::vector<std::string> argv;  ///< terragrunt and its args
  TerragruntVersion version;
  std::vector<std::string> redact;
  bool json = false;  ///< --output json: stdout is one document
  nlohmann::json layers = nlohmann::json::array();
};

// Runs one layer; returns its outcome as journaled.
std::string run_layer(ExecRun& run, std::size_t i, std::size_t n, std::size_t total, bool quiet) {
  const Stack& s = run.ws.stack();
  const Layer& l = s.layer(i);
  JournalRecord start = record("layer_start", run.run_id);
  start.layer = l.name;
  start.action = "exec";
  run.journal.append(start);
  ChildSpec spec{run.argv,
                 s.dirs[i],
                 child_environment(current_environment(), run.version, s.env.env, l.env),
                 run.log_dir / (l.name + ".exec.log"),
                 l.name,
                 false,
                 true,
                 run.redact};
  spec.interrupt_scope = InterruptScope::GroupButLeader;
  ChildResult r = run_to_completion(run.runner, spec);
  // The child's stdout is captured raw; what reaches the terminal or the JSON document is redacted
  // like the log.
  const std::string out = Redactor(run.redact).apply(r.stdout_data);
  if (!run.json) std::cout << for_stdout(out) << std::flush;
  std::string result = r.interrupt != 0 ? "interrupted" : r.ok() ? "ok" : "failed";
  JournalRecord end = record("layer_end", run.run_id);
  end.layer = l.name;
  end.action = "exec";
  end.result = result;
  end.exit_code = r.shell_status();
  end.duration_s = r.duration_s;
  end.raw["log"] = spec.log_file.string();
  run.journal.append(end);
  run.layers.push_back({{"name", l.name},
                        {"action", "exec"},
                        {"result", result},
                        {"exit_code", end.exit_code},
                        {"duration_s", end.duration_s},
                        {"stdout", out}});
  if (!quiet || result != "ok")
    std::fprintf(stderr, "[%zu/%zu] %s exec %s (%s) %.1fs\n", n, total, l.name.c_str(),
                 result.c_str(), r.ok() ? "exit 0" : r.describe().c_str(), r.duration_s);
  if (result == "failed") std::fprintf(stderr, "%s", terminal_safe(r.tail).c_str());
  return result;
}

}  // namespace

ExecClass classify_exec(const std::vector<std::string>& args, std::string& what) {
  const std::vector<std::string> w = command_words(args);
  what = w.empty() ? ""
                   : w[0] + (w.size() > 1 && is_one_of(w[0], {"state", "workspace", "providers"})
                                 ? " " + w[1]
                                 : "");
  if (w.empty()) return ExecClass::ChangesState;
  const std::string& c = w[0];
  const bool all = c.size() > 4 && c.compare(c.size() - 4, 4, "-all") == 0;
  if (all || is_one_of(c, {"apply", "destroy", "run", "run-all", "stack", "exec"}))
    return ExecClass::Forbidden;
  const std::string sub = w.size() > 1 ? w[1] : "";
  if (c == "state")
    return is_one_of(sub, {"list", "show", "pull"}) ? ExecClass::ReadOnly : ExecClass::ChangesState;
  if (c == "workspace")
    return is_one_of(sub, {"list", "show"}) ? ExecClass::ReadOnly : ExecClass::ChangesState;
  if (is_one_of(c, {"init",
                    "validate",
                    "plan",
                    "show",
                    "output",
                    "providers",
                    "graph",
                    "version",
                    "fmt",
                    "hclfmt",
                    "get",
                    "console",
                    "render-json",
                    "render",
                    "info",
                    "terragrunt-info",
                    "validate-inputs",
                    "graph-dependencies",
                    "output-module-groups",
                    "dag",
                    "find",
                    "list"}))
    return ExecClass::ReadOnly;
  return ExecClass::ChangesState;
}

namespace {

void need_command(const std::vector<std::string>& args, const std::string& env) {
  if (command_words(args).empty())
    throw usage_error("exec needs a terragrunt command after --, e.g. stackctl exec --env " + env +
                      " -- state list");
}

// exec_command on an opened workspace, with the interrupts watched since the command began.
int exec_in(const Context& ctx, const Workspace& ws, const SelectionOptions& selection,
            const std::vector<std::string>& args, bool keep_going, InterruptWatch& interrupts) {
  const std::string& env = ws.stack().env.name;
  const Stack& s = ws.stack();
  const Preflight pre = read_preflight(ws);
  const std::vector<std::size_t> layers = exec_layers(ws, pre, env, selection);
  refuse_unsafe(ws, pre, layers, args);
  if (layers.empty()) throw usage_error("exec: the selection has no terragrunt layer");
  std::vector<std::string> argv{resolve_terragrunt_binary(ctx.terragrunt, s.env)};
  argv.insert(argv.end(), args.begin(), args.end());
  if (!ctx.console.quiet)
    std::fprintf(stderr, "stackctl exec on env '%s': %s in %zu layer%s (in dependency order)\n",
                 env.c_str(), terminal_safe(shell_join(argv)).c_str(), layers.size(),
                 layers.size() == 1 ? "" : "s");
  for (const auto& w : preview_warnings(ws, {Phase(Action::Plan, layers)}))
    std::fprintf(stderr, "%s\n", w.c_str());
  interrupts.check("before exec started");

  EnvLock lock(ws.lock_file(), env, shell_join(ctx.argv), std::chrono::milliseconds(0),
               traits(Command::Exec).lock);
  JournalWriter journal(ws.journal_file());
  const std::string run_id = new_run_id();
  const fs::path log_dir = ws.env_state_dir() / "runs" / run_id;
  make_log_folder(log_dir);
  auto real = make_runner(ctx);
  InterruptLatch runner(*real, interrupts.received());
  ExecRun run{ws,
              runner,
              journal,
              run_id,
              log_dir,
              argv,
              probe_terragrunt_version(runner, argv[0], s.tree, current_environment(), s.env.file,
                                       ws.env_state_dir() / kVersionCacheFile),
              stack_secret_values(s, current_environment()),
              ctx.console.format == OutputFormat::Json};
  JournalRecord start = record("run_start", run_id);
  start.raw = {{"command", to_string(Command::Exec)}, {"argv", ctx.argv}, {"exec", args}};
  journal.append(start);

  int code = 0;
  for (std::size_t n = 0; n < layers.size(); ++n) {
    const std::string result = run_layer(run, layers[n], n + 1, layers.size(), ctx.console.quiet);
    if (result == "interrupted") code = static_cast<int>(ExitCode::Interrupted);
    if (result == "failed" && code == 0) code = static_cast<int>(ExitCode::ChildFailed);
    if (code == static_cast<int>(ExitCode::Interrupted) || (code != 0 && !keep_going)) break;
  }
  JournalRecord end = record("run_end", run_id);
  end.result = run_succeeded(Command::Exec, code) ? "ok" : code == 130 ? "interrupted" : "failed";
  end.exit_code = code;
  journal.append(end);
  lock.release();
  if (!ctx.console.quiet) std::fprintf(stderr, "logs: %s\n", log_dir.c_str());
  if (run.json)
    std::cout << nlohmann::json{{"command", to_string(Command::Exec)},
                                {"env", env},
                                {"run_id", run_id},
                                {"success", run_succeeded(Command::Exec, code)},
                                {"exit_code", code},
                                {"layers", run.layers},
                                {"errors", nlohmann::json::array()}}
                     .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << std::endl;
  return code;
}

}  // namespace

int exec_command(const Context& ctx, const std::string& env, const SelectionOptions& selection,
                 const std::vector<std::string>& args, bool keep_going) {
  SelectionOptions sel = selection;
  if (auto changed = resolve_changed(ctx, env, sel, true))
    return exec_command(ctx, *changed->workspace, sel, args, keep_going);
  need_command(args, env);
  InterruptWatch interrupts;
  auto ws = open_workspace(ctx, env);
  return exec_in(ctx, *ws, selection, args, keep_going, interrupts);
}

int exec_command(const Context& ctx, const Workspace& ws, const SelectionOptions& selection,
                 const std::vector<std::string>& args, bool keep_going) {
  need_command(args, ws.stack().env.name);
  InterruptWatch interrupts;
  return exec_in(ctx, ws, selection, args, keep_going, interrupts);
}

}  // namespace stackctl
