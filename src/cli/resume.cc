#include "cli.h"

namespace stackctl::cli {

void setup_resume(CLI::App& app, Invocation& inv) {
  auto req = std::make_shared<RunRequest>(run_request(Command::Resume));
  auto* cmd = add_run_command(app, inv, req, "Continue the last unfinished or failed run");
  // What the interrupted run was allowed is never taken from the journal: name it again here.
  add_list_option(*cmd, "--allow-destroy", req->allow_destroy,
                  "Allow the resumed run to destroy this protected LAYER (repeatable)", "LAYER");
  cmd->add_option(
         "--allow-replace", req->allow_replace,
         "Allow the resumed run's plan of a protected layer to delete or replace ADDR (repeatable)")
      ->type_name("ADDR");
}

}  // namespace stackctl::cli
