// `stackctl import --from DIR`: a manifest derived from an existing terragrunt tree.
#include "stackctl/commands/import.h"
#include "cli.h"

namespace stackctl::cli {

void setup_import(CLI::App& app, Invocation& inv) {
  auto from = std::make_shared<std::string>();
  auto* cmd =
      app.add_subcommand("import", "Print a manifest derived from an existing terragrunt tree");
  cmd->add_option("--from", *from, "Folder holding one folder with a terragrunt.hcl per layer")
      ->required();
  cmd->callback(
      [&inv, from] { inv.action = [&inv, from] { return import_manifest(inv.ctx, *from); }; });
}

}  // namespace stackctl::cli
