#include "stackctl/policy.h"

#include <algorithm>
#include <map>

#include "stackctl/redact.h"

namespace stackctl {

std::vector<std::size_t> destroyable_layers(const Stack& stack,
                                            const std::vector<PinReason>& pins) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < stack.size(); ++i)
    if (stack.enabled[i] && stack.protect[i] == Protect::None && !pins[i].pinned) out.push_back(i);
  return out;
}

std::vector<std::string> destroy_refusals(const Stack& stack, const Graph& g,
                                          const std::vector<PinReason>& pins,
                                          const std::vector<std::size_t>& selected,
                                          const std::set<std::string>& allow_destroy) {
  std::vector<bool> in_sel(stack.size(), false);
  for (std::size_t i : selected) in_sel[i] = true;
  auto allowed_protected = [&](std::size_t i) {
    return in_sel[i] && allow_destroy.count(stack.layer(i).name) > 0;
  };
  std::vector<std::string> out;
  for (std::size_t i : selected) {
    const std::string& name = stack.layer(i).name;
    if (stack.protect[i] != Protect::None) {
      if (!allowed_protected(i))
        out.push_back(name + " is protected (" + to_string(stack.protect[i]) +
                      "); name it with --allow-destroy " + name + " to destroy it");
      continue;
    }
    if (!pins[i].pinned) continue;
    // Pinned: every enabled protected layer that depends on it must itself be going away.
    for (std::size_t d : g.descendants(i)) {
      if (!stack.enabled[d] || stack.protect[d] == Protect::None || allowed_protected(d)) continue;
      out.push_back(name + " is pinned: " + stack.layer(d).name + " (" +
                    to_string(stack.protect[d]) + ") depends on it");
      break;
    }
  }
  return out;
}

namespace {

bool is_set(const std::string& var, const EnvVars& a, const EnvVars& b, const EnvVars& c) {
  for (const EnvVars* vars : {&a, &b, &c})
    for (const auto& [k, v] : *vars)
      if (k == var && !v.empty()) return true;
  return false;
}

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

}  // namespace

std::vector<std::string> missing_variables(const Stack& stack,
                                           const std::vector<std::size_t>& selected,
                                           const EnvVars& process_env) {
  std::vector<std::string> out;
  for (const auto& var : stack.env.require_env)
    if (!is_set(var, process_env, {}, {}))
      out.push_back(var + " is not set (required by " + stack.env.file.string() +
                    " require_env); export it before running stackctl");
  std::map<std::string, std::vector<std::string>> needed;  // var -> layers
  std::vector<std::string> order;
  for (std::size_t i : selected) {
    const Layer& l = stack.layer(i);
    for (const auto& var : l.needs_env) {
      if (is_set(var, process_env, stack.env.env, l.env)) continue;
      if (!needed.count(var)) order.push_back(var);
      needed[var].push_back(l.name);
    }
  }
  for (const auto& var : order)
    out.push_back(var + " is not set; needed by " + join(needed[var]) +
                  " (export it, or set it in env.yaml env)");
  return out;
}

std::vector<std::string> stack_secret_values(const Stack& stack, const EnvVars& process_env) {
  std::vector<std::string> names = stack.env.require_env;
  for (std::size_t i = 0; i < stack.size(); ++i)
    for (const auto& v : stack.layer(i).needs_env) names.push_back(v);
  std::vector<std::string> out = secret_values(process_env, names);
  for (const auto& v : secret_values(stack.env.env, names)) out.push_back(v);
  for (std::size_t i = 0; i < stack.size(); ++i)
    for (const auto& v : secret_values(stack.layer(i).env, names)) out.push_back(v);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace stackctl
