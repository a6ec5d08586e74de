// Subcommands around the runs of an env: a layer's last log, and pruning old run folders.
#include "cli.h"
#include "stackctl/run_folders.h"

namespace stackctl::cli {

void setup_logs(CLI::App& app, Invocation& inv) {
  auto layer = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("logs", "The last log of one layer, from the run folders");
  cmd->add_option("--env", inv.env, "Environment (a folder under envs/)")->required();
  cmd->add_option("layer", *layer, "Layer name")->required();
  cmd->callback([&inv, layer] { inv.action = [&inv, layer] { return show_logs(inv.ctx, inv.env, *layer); }; });
}

void setup_prune(CLI::App& app, Invocation& inv) {
  auto keep = std::make_shared<std::size_t>(0);
  auto* cmd = app.add_subcommand("prune", "Delete old run folders (logs, plan files), keeping the newest");
  cmd->add_option("--env", inv.env, "Environment (a folder under envs/)")->required();
  cmd->add_option("--keep", *keep, "Run folders to keep (default: keep_runs in env.yaml, else 50)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
  cmd->callback([&inv, keep] { inv.action = [&inv, keep] { return prune_command(inv.ctx, inv.env, *keep); }; });
}

}  // namespace stackctl::cli
