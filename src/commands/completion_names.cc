// What the completion scripts complete from the project at completion time, how the kind of an
// option's value is told from its names, and the two commands that print them.
#include <algorithm>
#include <iostream>

#include "stackctl/commands/completion.h"
#include "stackctl/util/error.h"

namespace stackctl {

std::vector<std::string> choices_in(const std::string& type) {
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

ValueKind value_kind(const std::string& type, const std::vector<std::string>& long_names,
                     const std::string& positional) {
  auto named = [&](std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (std::find(long_names.begin(), long_names.end(), n) != long_names.end()) return true;
    return false;
  };
  if (!choices_in(type).empty()) return ValueKind::Choice;
  if (named({"env", "confirm-env"})) return ValueKind::Env;
  if (type.rfind("LAYER", 0) == 0 || positional == "layer") return ValueKind::Layer;
  if (type.rfind("TIER", 0) == 0) return ValueKind::Tier;
  if (positional == "step") return ValueKind::Step;
  if (type == "DIR" || named({"envs-dir", "state-dir", "out-dir", "plan-dir", "from"}))
    return ValueKind::Directory;
  if (type == "FILE" || named({"manifest", "terragrunt", "summary-md"})) return ValueKind::File;
  return ValueKind::Any;
}

std::vector<std::string> completion_names(const Locations& where, const std::string& kind,
                                          const std::string& env) {
  auto ws = Workspace::open(where);
  std::vector<std::string> out;
  if (kind == "env") return list_envs(ws->envs_dir());
  if (kind == "tier") {
    for (const Layer& l : ws->manifest().layers)
      if (!l.tier.empty() && std::find(out.begin(), out.end(), l.tier) == out.end())
        out.push_back(l.tier);
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

int print_completion_script(const CompletionCommand& root, const std::string& shell) {
  auto script = completion_script(root, shell);
  if (!script) throw usage_error("no completion for shell '" + shell + "'");
  std::cout << *script;
  return 0;
}

int complete_names(const Context& ctx, const std::string& kind, const std::string& env) {
  try {
    for (const auto& name : completion_names(ctx.where, kind, env)) std::cout << name << "\n";
  } catch (const Error&) {
    // Completion offers nothing rather than an error message.
  }
  return 0;
}

}  // namespace stackctl
