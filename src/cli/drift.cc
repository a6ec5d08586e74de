#include "cli.h"

namespace stackctl::cli {

void setup_drift(CLI::App& app, Invocation& inv) {
  auto req = std::make_shared<RunRequest>(run_request(Command::Drift));
  auto* cmd = add_run_command(
      app, inv, req,
      "Plan every selected terragrunt layer, in any order; exit 2 when any has drifted");
  add_selection_flags(*cmd, req->selection);
  cmd->add_option("--summary-md", req->summary_md,
                  "Write a Markdown summary of the drift here (also appended to "
                  "$GITHUB_STEP_SUMMARY when it is set)")
      ->type_name("FILE");
}

}  // namespace stackctl::cli
