// `stackctl completion bash|zsh|fish` (the script, from this very command tree) and the hidden
// `stackctl __complete env|layer|tier|step [--env E]` the scripts call for project names.
#include <algorithm>
#include <iostream>

#include "cli.h"
#include "stackctl/commands/completion.h"
#include "stackctl/util/error.h"

namespace stackctl::cli {

namespace {

bool has_name(const CLI::Option& opt, const std::string& name) {
  const auto& l = opt.get_lnames();
  return std::find(l.begin(), l.end(), name) != l.end();
}

// The choices of an IsMember check, which CLI11 shows in the type name as `TEXT:{a,b,c}`.
std::vector<std::string> choices_of(const std::string& type) {
  std::vector<std::string> out;
  auto open = type.find('{'), close = type.find('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return out;
  std::string list = type.substr(open + 1, close - open - 1);
  for (std::size_t start = 0; start <= list.size();) {
    std::size_t comma = std::min(list.find(',', start), list.size());
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

ValueKind value_kind(const CLI::Option& opt, const std::string& positional) {
  std::string type = opt.get_type_name();
  if (!choices_of(type).empty()) return ValueKind::Choice;
  if (has_name(opt, "env") || has_name(opt, "confirm-env")) return ValueKind::Env;
  if (type.rfind("LAYER", 0) == 0 || positional == "layer") return ValueKind::Layer;
  if (type.rfind("TIER", 0) == 0) return ValueKind::Tier;
  if (positional == "step") return ValueKind::Step;
  if (type == "DIR" || has_name(opt, "envs-dir") || has_name(opt, "state-dir") ||
      has_name(opt, "out-dir") || has_name(opt, "plan-dir") || has_name(opt, "from"))
    return ValueKind::Directory;
  if (type == "FILE" || has_name(opt, "manifest") || has_name(opt, "terragrunt") ||
      has_name(opt, "summary-md"))
    return ValueKind::File;
  return ValueKind::Any;
}

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
      o.value = value_kind(*opt, positional ? opt->get_name() : "");
      if (o.value == ValueKind::Choice) o.choices = choices_of(opt->get_type_name());
    }
    (positional ? c.positionals : c.options).push_back(o);
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (!sub->get_group().empty()) c.subcommands.push_back(command_model(*sub));
  return c;
}

// The names of one kind in the project; nothing (and no error) outside a project.
std::vector<std::string> project_names(const Context& ctx, const std::string& kind, const std::string& env) {
  auto ws = Workspace::open(ctx.where);
  std::vector<std::string> out;
  if (kind == "env") return list_envs(ws->envs_dir());
  if (kind == "tier") {
    for (const Layer& l : ws->manifest().layers)
      if (!l.tier.empty() && std::find(out.begin(), out.end(), l.tier) == out.end()) out.push_back(l.tier);
    return ws->manifest().tiers.empty() ? out : ws->manifest().tiers;
  }
  if (!env.empty()) ws->select_env(env);
  const auto& layers = ws->manifest().layers;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (kind == "step" && layers[i].kind != LayerKind::Manual) continue;
    if (ws->has_env() && !ws->stack().enabled[i]) continue;
    out.push_back(layers[i].name);
  }
  return out;
}

}  // namespace

void setup_completion(CLI::App& app, Invocation& inv) {
  auto shell = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("completion", "Print the shell completion script (bash, zsh or fish)");
  cmd->add_option("shell", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd->callback([&inv, &app, shell] {
    inv.action = [&app, shell] {
      auto script = completion_script(command_model(app), *shell);
      if (!script) throw usage_error("no completion for shell '" + *shell + "'");
      std::cout << *script;
      return 0;
    };
  });

  auto what = std::make_shared<std::string>();
  auto env = std::make_shared<std::string>();
  auto* helper = app.add_subcommand("__complete", "Names for the completion scripts");
  helper->group("");
  helper->add_option("kind", *what)->required()->check(CLI::IsMember({"env", "layer", "tier", "step"}));
  helper->add_option("--env", *env);
  helper->callback([&inv, what, env] {
    inv.action = [&inv, what, env] {
      try {
        for (const auto& name : project_names(inv.ctx, *what, *env)) std::cout << name << "\n";
      } catch (const Error&) {
        // Completion offers nothing rather than an error message.
      }
      return 0;
    };
  });
}

}  // namespace stackctl::cli
