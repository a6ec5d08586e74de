#include "cli.h"

namespace stackctl::cli {

void setup_plan(CLI::App& app, Invocation& inv) {
  auto req = std::make_shared<RunRequest>(run_request(Command::Plan));
  auto* cmd = add_run_command(app, inv, req, "Plan the selected layers in dependency order");
  add_selection_flags(*cmd, req->selection);
  cmd->add_option("--out-dir", req->out_dir, "Keep each layer's plan file and plan JSON here");
  cmd->add_flag("--detailed-exitcode", req->detailed_exitcode, "Exit 2 when any layer has changes");
  cmd->add_option("--summary-md", req->summary_md,
                  "Write a Markdown summary of the plans here (also appended to "
                  "$GITHUB_STEP_SUMMARY when it is set)")
      ->type_name("FILE");
}

}  // namespace stackctl::cli
