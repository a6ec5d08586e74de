// Subcommands that read the project and the journal without running layers.
#include "cli.h"
#include "stackctl/commands/commands.h"
#include "stackctl/commands/gates.h"

namespace stackctl::cli {

namespace {

CLI::App* env_command(CLI::App& app, Invocation& inv, const std::string& name,
                      const std::string& description, bool env_required = true) {
  auto* cmd = app.add_subcommand(name, description);
  auto* opt = cmd->add_option("--env", inv.env, "Environment (a folder under envs/)");
  if (env_required) opt->required();
  return cmd;
}

}  // namespace

void setup_list(CLI::App& app, Invocation& inv) {
  auto sel = std::make_shared<SelectionOptions>();
  auto why = std::make_shared<bool>(false);
  auto* cmd = env_command(app, inv, "list",
                          "Layers in order: tier, kind, protection, enabled, last result");
  add_selection_flags(*cmd, *sel);
  cmd->add_flag("--why", *why, "With --changed: show why each layer was selected")
      ->needs("--changed");
  cmd->callback([&inv, sel, why] {
    inv.action = [&inv, sel, why] { return list_layers(inv.ctx, inv.env, *sel, *why); };
  });
}

void setup_graph(CLI::App& app, Invocation& inv) {
  auto sel = std::make_shared<SelectionOptions>();
  auto format = std::make_shared<std::string>("dot");
  auto* cmd = env_command(app, inv, "graph", "The dependency graph as dot, mermaid or json");
  add_selection_flags(*cmd, *sel);
  cmd->add_option("--format", *format, "dot, mermaid or json")
      ->check(CLI::IsMember({"dot", "mermaid", "json"}));
  cmd->callback([&inv, sel, format] {
    inv.action = [&inv, sel, format] { return print_graph(inv.ctx, inv.env, *sel, *format); };
  });
}

void setup_validate(CLI::App& app, Invocation& inv) {
  auto check_hcl = std::make_shared<bool>(false);
  auto* cmd = env_command(app, inv, "validate",
                          "Check the manifest and env files (every env without --env)", false);
  cmd->add_flag("--check-hcl", *check_hcl,
                "Compare depends_on with terragrunt.hcl dependency blocks");
  cmd->callback([&inv, check_hcl] {
    inv.action = [&inv, check_hcl] { return validate_project(inv.ctx, inv.env, *check_hcl); };
  });
}

void setup_status(CLI::App& app, Invocation& inv) {
  auto* cmd = env_command(app, inv, "status", "Per layer: last action, result, when; the last run");
  cmd->callback([&inv] { inv.action = [&inv] { return show_status(inv.ctx, inv.env); }; });
}

void setup_output(CLI::App& app, Invocation& inv) {
  auto layer = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* cmd = env_command(app, inv, "output",
                          "terragrunt output -json of one layer, or one output's value");
  cmd->add_option("layer", *layer, "Layer name")->required();
  cmd->add_option("name", *name, "One output: its value (a string as is, else JSON)");
  cmd->add_flag("--json", *json, "With NAME: the value as one line of JSON");
  cmd->callback([&inv, layer, name, json] {
    inv.action = [&inv, layer, name, json] {
      return show_output(inv.ctx, inv.env, *layer, *name, *json);
    };
  });
}

void setup_confirm(CLI::App& app, Invocation& inv) {
  auto steps = std::make_shared<std::vector<std::string>>();
  auto withdraw = std::make_shared<bool>(false);
  auto* cmd = env_command(app, inv, "confirm",
                          "Record manual steps as done (or withdraw their confirmation)");
  cmd->add_option("step", *steps, "Manual steps (layers of kind: manual)")->required();
  cmd->add_flag("--withdraw", *withdraw,
                "Withdraw the confirmation of each step: it is pending again");
  cmd->callback([&inv, steps, withdraw] {
    inv.action = [&inv, steps, withdraw] {
      return confirm_steps(inv.ctx, inv.env, *steps, *withdraw);
    };
  });
}

void setup_gates(CLI::App& app, Invocation& inv) {
  auto* cmd = env_command(app, inv, "gates",
                          "Every manual step: pending or confirmed, by whom, what re-opened it");
  cmd->callback([&inv] { inv.action = [&inv] { return show_gates(inv.ctx, inv.env); }; });
}

void setup_unlock(CLI::App& app, Invocation& inv) {
  auto force = std::make_shared<bool>(false);
  auto* cmd = env_command(app, inv, "unlock", "Remove the env lock left by a run that is gone");
  cmd->add_flag("--force", *force, "Remove the lock even if its holder may be alive");
  cmd->callback([&inv, force] {
    inv.action = [&inv, force] { return unlock_env(inv.ctx, inv.env, *force); };
  });
}

}  // namespace stackctl::cli
