// confirm, unlock and output: small commands over the journal, the lock and one layer.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "stackctl/commands/commands.h"
#include "stackctl/commands/gates.h"
#include "stackctl/commands/run_settings.h"
#include "stackctl/journal/journal.h"
#include "stackctl/journal/lock.h"
#include "stackctl/report/layer_output.h"
#include "stackctl/runner/dry_run.h"
#include "stackctl/runner/version_probe.h"
#include "stackctl/util/error.h"

namespace stackctl {

int confirm_step(const Context& ctx, const std::string& env, const std::string& step) {
  return confirm_steps(ctx, env, {step}, false);
}

namespace {

// The shared holders (plan, drift): the gone ones are removed (all of them with --force); live
// ones refuse a plain unlock, naming each.
std::size_t unlock_shared(const std::string& env, const std::filesystem::path& file, bool force) {
  const auto removed = remove_shared_holders(file, force);
  for (const auto& gone : removed)
    std::cerr << "removed the shared lock of env " << env << " (" << gone.describe() << ")\n";
  auto live = shared_holders(file);
  if (live.empty()) return removed.size();
  std::string text = "env '" + env + "' is locked by " + std::to_string(live.size()) +
                     " shared holder" + (live.size() == 1 ? "" : "s") + ":";
  for (const auto& l : live) text += "\n  - " + l.describe() + " (shared)";
  throw Error(ExitCode::Locked, text + "\npass --force to remove them anyway");
}

}  // namespace

int unlock_env(const Context& ctx, const std::string& env, bool force) {
  auto ws = open_workspace(ctx, env);
  auto file = ws->lock_file();
  auto info = read_lock(file);
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(file, ec))) {
    if (unlock_shared(env, file, force) == 0) std::cerr << "env " << env << " is not locked\n";
    return 0;
  }
  unlock_shared(env, file, force);
  if (!force && (!info || !lock_is_stale(*info)))
    throw Error(ExitCode::Locked, "env '" + env + "' is locked: " +
                                      (info ? info->describe()
                                            : "held by an unknown holder (the lock file " +
                                                  file.string() + " is not a valid lock)") +
                                      "; pass --force to remove it anyway");
  std::string error;
  if (!remove_lock(file, error)) throw Error(ExitCode::Software, error);
  std::cerr << "removed the lock of env " << env
            << (info ? " (" + info->describe() + ")" : std::string()) << "\n";
  return 0;
}

int show_output(const Context& ctx, const std::string& env, const std::string& layer,
                const std::string& name, bool json) {
  auto ws = open_workspace(ctx, env);
  const Layer& l = ws->manifest().named(layer);
  if (l.kind != LayerKind::Terragrunt)
    throw usage_error("'" + layer + "' is not a terragrunt layer");
  const Stack& s = ws->stack();
  std::size_t i = *ws->manifest().position(layer);
  TerragruntCall call;
  call.binary = resolve_terragrunt_binary(ctx.terragrunt, s.env);
  call.extra_args = s.env.terragrunt_args;
  EnvLock lock(ws->lock_file(), env, shell_join(ctx.argv), std::chrono::milliseconds(0));
  auto runner = make_process_runner();
  const TerragruntVersion v =
      probe_terragrunt_version(*runner, call.binary, s.tree, current_environment(), s.env.file,
                               ws->env_state_dir() / kVersionCacheFile);
  ChildSpec spec{terragrunt_argv(call, Action::Output),
                 s.dirs[i],
                 child_environment(current_environment(), v, s.env.env, l.env),
                 {},
                 layer,
                 false,
                 true,
                 {}};
  spec.interrupt_scope = InterruptScope::GroupButLeader;
  ChildResult r = run_to_completion(*runner, spec);
  lock.release();
  if (r.interrupt != 0)
    throw Error(ExitCode::Interrupted, "interrupted (" + signal_name(r.interrupt) +
                                           ") during terragrunt output of " + layer);
  if (!r.ok()) {
    std::cout << for_stdout(r.stdout_data);
    std::cerr << r.tail;
    throw Error(ExitCode::ChildFailed,
                "terragrunt output of " + layer + " failed: " + r.describe());
  }
  if (name.empty()) {
    std::cout << r.stdout_data;
    return 0;
  }
  nlohmann::json outputs = nlohmann::json::parse(r.stdout_data, nullptr, false);
  if (outputs.is_discarded())
    throw Error(ExitCode::ChildFailed, "terragrunt output -json of " + layer + " printed no JSON");
  std::cout << for_stdout(
      render_output(outputs, layer, name, json || ctx.console.format == OutputFormat::Json));
  return 0;
}

}  // namespace stackctl
