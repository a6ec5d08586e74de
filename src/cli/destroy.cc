#include "cli.h"

namespace stackctl::cli {

void setup_destroy(CLI::App& app, Invocation& inv) {
  auto req = std::make_shared<RunRequest>(run_request(Command::Destroy));
  auto* cmd = add_run_command(
      app, inv, req,
      "Destroy layers, dependents first; without a selection, everything but the data");
  add_selection_flags(*cmd, req->selection);
  add_list_option(*cmd, "--allow-destroy", req->allow_destroy,
                  "Allow destroying this protected LAYER (repeatable)", "LAYER");
}

}  // namespace stackctl::cli
