#include "cli.h"

namespace stackctl::cli {

void setup_resume(CLI::App& app, Invocation& inv) {
  auto req = std::make_shared<RunRequest>();
  req->command = Command::Resume;
  auto* cmd = add_run_command(app, inv, req, "Continue the last unfinished or failed run");
  // What the interrupted run was allowed is never taken from the journal: name it again here.
  cmd->add_option("--allow-destroy", req->allow_destroy,
                  "Allow the resumed run to destroy this protected LAYER (repeatable)")
      ->delimiter(',')
      ->type_name("LAYER");
  cmd->add_option("--allow-replace", req->allow_replace,
                  "Allow the resumed run's plan of a protected layer to delete or replace ADDR (repeatable)")
      ->type_name("ADDR");
}

}  // namespace stackctl::cli
