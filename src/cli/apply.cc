#include "cli.h"

namespace stackctl::cli {

void setup_apply(CLI::App& app, Invocation& inv) {
  auto req = std::make_shared<RunRequest>(run_request(Command::Apply));
  auto* cmd =
      add_run_command(app, inv, req, "Plan and apply the selected layers in dependency order");
  add_selection_flags(*cmd, req->selection);
  cmd->add_option("--plan-dir", req->plan_dir, "Apply the plans saved by plan --out-dir DIR");
  cmd->add_option("--allow-replace", req->allow_replace,
                  "Allow a data layer's plan to delete or replace ADDR (repeatable)")
      ->type_name("ADDR");
  cmd->add_flag("--skip-unchanged", req->skip_unchanged,
                "Skip layers whose inputs are unchanged since their last successful apply");
}

}  // namespace stackctl::cli
