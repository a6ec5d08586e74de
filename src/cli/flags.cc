#include "cli.h"

namespace stackctl::cli {

void add_selection_flags(CLI::App& cmd, SelectionOptions& sel) {
  cmd.add_option("--up-to", sel.up_to, "Every enabled layer from the start through LAYER")
      ->type_name("LAYER");
  cmd.add_option("--from", sel.from, "LAYER and every enabled layer after it")->type_name("LAYER");
  add_list_option(cmd, "--only", sel.only, "Exactly these layers (comma-separated, repeatable)",
                  "LAYER[,LAYER...]");
  add_list_option(cmd, "--target", sel.target, "LAYER and everything it depends on", "LAYER");
  add_list_option(cmd, "--exclude", sel.exclude, "Leave LAYER out (repeatable)", "LAYER");
  add_list_option(cmd, "--tier", sel.tiers, "Only layers of TIER (repeatable)", "TIER");
  add_changed_flags(cmd, sel);
}

void add_run_flags(CLI::App& cmd, RunRequest& req) {
  cmd.add_option("--env", req.env, "Environment (a folder under envs/)")->required();
  cmd.add_option("--parallelism", req.parallelism, "Layers running at once (1 = manifest order)")
      ->check(CLI::Range(1, 256));
  cmd.add_flag("--keep-going", req.keep_going,
               "After a failure, keep starting layers that do not depend on it");
  cmd.add_flag("--dry-run", req.dry_run, "Print each child's cwd and argv; run nothing");
  cmd.add_flag("-y,--yes", req.yes, "Do not ask for confirmation");
  cmd.add_option("--confirm-env", req.confirm_env,
                 "With --yes, confirm a destroy/rebuild of an env that has confirm: true");
  cmd.add_option("--lock-timeout", req.lock_timeout,
                 "Wait this long for the env lock and terraform's state lock (e.g. 30s, 5m)");
  cmd.add_option("--layer-timeout", req.layer_timeout,
                 "Stop a layer running longer than this (SIGINT, then SIGKILL after a grace "
                 "period of a tenth of it, 1s to 30s) and fail it (e.g. 30m, 2h)")
      ->type_name("DURATION");
}

}  // namespace stackctl::cli

namespace stackctl::cli {

CLI::App* add_run_command(CLI::App& app, Invocation& inv, const std::shared_ptr<RunRequest>& req,
                          const std::string& description) {
  auto* cmd = app.add_subcommand(to_string(req->command), description);
  add_run_flags(*cmd, *req);
  cmd->callback([&inv, req] {
    inv.env = req->env;
    inv.action = [&inv, req] { return execute_selected_run(inv.ctx, *req); };
  });
  return cmd;
}

}  // namespace stackctl::cli
