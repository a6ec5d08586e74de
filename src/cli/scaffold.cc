// `stackctl scaffold --env E`: terragrunt.hcl skeletons for the layers that have none.
#include "stackctl/commands/scaffold.h"
#include "cli.h"

namespace stackctl::cli {

void setup_scaffold(CLI::App& app, Invocation& inv) {
  auto* cmd =
      app.add_subcommand("scaffold", "Write terragrunt.hcl skeletons for layers that have none");
  cmd->add_option("--env", inv.env, "Environment (a folder under envs/)")->required();
  cmd->callback([&inv] { inv.action = [&inv] { return scaffold_env(inv.ctx, inv.env); }; });
}

}  // namespace stackctl::cli
