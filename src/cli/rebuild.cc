#include "cli.h"

namespace stackctl::cli {

void setup_rebuild(CLI::App& app, Invocation& inv) {
  auto req = std::make_shared<RunRequest>(run_request(Command::Rebuild));
  auto* cmd = add_run_command(app, inv, req, "Delete back to the data, then apply again");
  cmd->add_option("--up-to", req->selection.up_to, "Apply again only through LAYER")
      ->type_name("LAYER");
  cmd->add_option("--allow-replace", req->allow_replace,
                  "Allow a data layer's plan to delete or replace ADDR (repeatable)")
      ->type_name("ADDR");
}

}  // namespace stackctl::cli
