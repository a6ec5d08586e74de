#include "cli.h"

namespace stackctl::cli {

void setup_destroy(CLI::App& app, Invocation& inv) {
  auto req = std::make_shared<RunRequest>();
  req->command = Command::Destroy;
  auto* cmd = add_run_command(app, inv, req, "Destroy layers, dependents first; without a selection, everything but the data");
  add_selection_flags(*cmd, req->selection);
  cmd->add_option("--allow-destroy", req->allow_destroy,
                  "Allow destroying this protected LAYER (repeatable)")
      ->delimiter(',')
      ->type_name("LAYER");
}

}  // namespace stackctl::cli
