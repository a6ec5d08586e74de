// `stackctl completion bash|zsh|fish` (the script, from this very command tree) and the hidden
// `stackctl __complete env|layer|tier|step [--env E]` the scripts call for project names.
#include "stackctl/commands/completion.h"
#include "cli.h"

namespace stackctl::cli {

namespace {

CompletionCommand command_model(const CLI::App& app) {
  CompletionCommand c;
  c.name = app.get_parent() ? app.get_name() : "stackctl";
  c.help = app.get_description();
  for (const CLI::Option* opt : app.get_options()) {
    bool positional = opt->get_lnames().empty() && opt->get_snames().empty();
    CompletionOption o;
    for (const auto& l : opt->get_lnames()) o.names.push_back("--" + l);
    for (const auto& s : opt->get_snames()) o.names.push_back("-" + s);
    if (positional) o.names.push_back(opt->get_name());
    o.help = opt->get_description();
    if (opt->get_items_expected_max() > 0) {
      o.value =
          value_kind(opt->get_type_name(), opt->get_lnames(), positional ? opt->get_name() : "");
      if (o.value == ValueKind::Choice) o.choices = choices_in(opt->get_type_name());
    }
    (positional ? c.positionals : c.options).push_back(o);
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (!sub->get_group().empty()) c.subcommands.push_back(command_model(*sub));
  return c;
}

}  // namespace

void setup_completion(CLI::App& app, Invocation& inv) {
  auto shell = std::make_shared<std::string>();
  auto* cmd =
      app.add_subcommand("completion", "Print the shell completion script (bash, zsh or fish)");
  cmd->add_option("shell", *shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd->callback([&inv, &app, shell] {
    inv.action = [&app, shell] { return print_completion_script(command_model(app), *shell); };
  });

  auto what = std::make_shared<std::string>();
  auto env = std::make_shared<std::string>();
  auto* helper = app.add_subcommand("__complete", "Names for the completion scripts");
  helper->group("");
  helper->add_option("kind", *what)
      ->required()
      ->check(CLI::IsMember({"env", "layer", "tier", "step"}));
  helper->add_option("--env", *env);
  helper->callback([&inv, what, env] {
    inv.action = [&inv, what, env] { return complete_names(inv.ctx, *what, *env); };
  });
}

}  // namespace stackctl::cli
