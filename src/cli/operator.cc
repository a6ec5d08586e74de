// Subcommands around the runs of an env: a layer's last log, and pruning old run folders.
#include "cli.h"
#include "stackctl/commands/exec.h"
#include "stackctl/commands/run_folders.h"

namespace stackctl::cli {

void setup_logs(CLI::App& app, Invocation& inv) {
  auto layer = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("logs", "The last log of one layer, from the run folders");
  cmd->add_option("--env", inv.env, "Environment (a folder under envs/)")->required();
  cmd->add_option("layer", *layer, "Layer name")->required();
  cmd->callback([&inv, layer] {
    inv.action = [&inv, layer] { return show_logs(inv.ctx, inv.env, *layer); };
  });
}

void setup_prune(CLI::App& app, Invocation& inv) {
  auto keep = std::make_shared<std::size_t>(0);
  auto* cmd =
      app.add_subcommand("prune", "Delete old run folders (logs, plan files), keeping the newest");
  cmd->add_option("--env", inv.env, "Environment (a folder under envs/)")->required();
  cmd->add_option("--keep", *keep, "Run folders to keep (default: keep_runs in env.yaml, else 50)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
  cmd->callback([&inv, keep] {
    inv.action = [&inv, keep] { return prune_command(inv.ctx, inv.env, *keep); };
  });
}

void setup_exec(CLI::App& app, Invocation& inv) {
  auto sel = std::make_shared<SelectionOptions>();
  auto args = std::make_shared<std::vector<std::string>>();
  auto keep_going = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "exec", "A terragrunt command over the selected layers, in dependency order");
  cmd->add_option("--env", inv.env, "Environment (a folder under envs/)")->required();
  add_selection_flags(*cmd, *sel);
  // One value per --only/--exclude/...: otherwise the option would swallow the `--` that starts
  // the terragrunt arguments, and `-json` after it would be taken for a flag of stackctl's.
  for (CLI::Option* opt : cmd->get_options()) opt->allow_extra_args(false);
  cmd->add_flag("--keep-going", *keep_going,
                "After a failure, run the command in the remaining layers");
  cmd->add_option("args", *args, "terragrunt command and arguments, after --");
  cmd->callback([&inv, sel, args, keep_going] {
    inv.action = [&inv, sel, args, keep_going] {
      return exec_command(inv.ctx, inv.env, *sel, *args, *keep_going);
    };
  });
}

}  // namespace stackctl::cli
