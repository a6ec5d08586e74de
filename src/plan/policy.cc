#include "stackctl/plan/policy.h"

#include <algorithm>
#include <map>

#include "stackctl/runner/redact.h"

namespace stackctl {

std::vector<bool> applied_per_journal(const Manifest& manifest, const JournalContents& journal) {
  std::vector<bool> applied(manifest.layers.size(), false);
  std::map<std::size_t, std::string> open;  // layer -> run whose apply/destroy has not ended
  for (const auto& r : journal.records) {
    if (r.action != "apply" && r.action != "destroy") continue;
    auto pos = manifest.position(r.layer);
    if (!pos) continue;
    if (r.type == "layer_start") {
      open[*pos] = r.run_id;
      continue;
    }
    if (r.type != "layer_end") continue;
    if (auto it = open.find(*pos); it != open.end() && it->second == r.run_id) open.erase(it);
    if (r.action == "apply" && r.result != "skipped") applied[*pos] = true;
    if (r.action == "destroy" && r.result == "ok") applied[*pos] = false;
    // A destroy that failed or was interrupted may have removed only part of the layer.
    if (r.action == "destroy" && (r.result == "failed" || r.result == "interrupted"))
      applied[*pos] = true;
  }
  // An apply or destroy that started and never ended (stackctl was killed) may have left anything.
  for (const auto& [pos, run] : open) applied[pos] = true;
  return applied;
}

std::set<std::string> not_applied_per_journal(const Manifest& manifest,
                                              const JournalContents& journal,
                                              const std::vector<bool>& applied) {
  bool managed = false;
  for (const auto& r : journal.records)
    managed |=
        r.type == "layer_end" && r.result == "ok" && (r.action == "apply" || r.action == "destroy");
  std::set<std::string> out;
  if (!managed) return out;
  for (std::size_t i = 0; i < applied.size() && i < manifest.layers.size(); ++i)
    if (!applied[i]) out.insert(manifest.layers[i].name);
  return out;
}

bool Protection::present(const Stack& stack, std::size_t i) const {
  return stack.enabled[i] || (i < applied.size() && applied[i]);
}

bool Protection::disabled_but_applied(const Stack& stack, std::size_t i) const {
  return stack.protect[i] != Protect::None && !stack.enabled[i] && present(stack, i);
}

Protection protection_of(const Stack& stack, const Graph& g, std::vector<bool> applied) {
  Protection p;
  applied.resize(stack.size(), false);
  p.applied = std::move(applied);
  std::vector<bool> roots(stack.size(), false);
  for (std::size_t i = 0; i < stack.size(); ++i) roots[i] = p.present(stack, i);
  p.pins = pinned_layers(g, roots, stack.protect);
  return p;
}

std::string protection_note(const Stack& stack, const Protection& prot, std::size_t i) {
  if (stack.protect[i] != Protect::None) {
    const char* why = prot.disabled_but_applied(stack, i) ? "; disabled, still applied" : "";
    return std::string("protected (") + to_string(stack.protect[i]) + why + ")";
  }
  if (!prot.pins[i].pinned) return "";
  std::size_t by = prot.pins[i].by;
  if (prot.disabled_but_applied(stack, by))
    return "pinned by " + stack.layer(by).name + " (disabled, still applied)";
  return "pinned: " + stack.layer(by).name + " (" + to_string(stack.protect[by]) +
         ") depends on it";
}

std::vector<std::size_t> destroyable_layers(const Stack& stack, const Protection& prot) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < stack.size(); ++i)
    if (stack.enabled[i] && stack.protect[i] == Protect::None && !prot.pins[i].pinned)
      out.push_back(i);
  return out;
}

std::vector<std::string> destroy_refusals(const Stack& stack, const Graph& g,
                                          const Protection& prot,
                                          const std::vector<std::size_t>& selected,
                                          const std::set<std::string>& allow_destroy) {
  std::vector<bool> in_sel(stack.size(), false);
  for (std::size_t i : selected) in_sel[i] = true;
  auto allowed_protected = [&](std::size_t i) {
    return in_sel[i] && stack.enabled[i] && allow_destroy.count(stack.layer(i).name) > 0;
  };
  std::vector<std::string> out;
  for (std::size_t i : selected) {
    const std::string& name = stack.layer(i).name;
    if (stack.protect[i] != Protect::None && !allowed_protected(i)) {
      out.push_back(name + " is protected (" + to_string(stack.protect[i]) +
                    "); name it with --allow-destroy " + name + " to destroy it");
      continue;
    }
    // Pinned (an allowed protected layer too): every present protected layer that depends on it
    // must itself be going away. A disabled one that is still applied never goes away here.
    for (std::size_t d : g.descendants(i)) {
      if (!prot.present(stack, d) || stack.protect[d] == Protect::None || allowed_protected(d))
        continue;
      std::string why = prot.disabled_but_applied(stack, d) ? "; disabled, still applied" : "";
      out.push_back(name + " is pinned: " + stack.layer(d).name + " (" +
                    to_string(stack.protect[d]) + why + ") depends on it");
      break;
    }
  }
  return out;
}

namespace {

int strength(Protect p) { return p == Protect::Data ? 2 : p == Protect::Keep ? 1 : 0; }

}  // namespace

std::vector<ProtectionLowering> protection_lowerings(const Stack& stack) {
  std::vector<ProtectionLowering> out;
  for (std::size_t i = 0; i < stack.size(); ++i) {
    const Layer& l = stack.layer(i);
    if (strength(stack.protect[i]) >= strength(l.protect)) continue;
    auto line = stack.env.lines.find("protect:" + l.name);
    const char* now = to_string(stack.protect[i]);
    Diagnostic d{Severity::Warning, stack.env.file.string(),
                 line == stack.env.lines.end() ? 0 : line->second,
                 "protect: {" + l.name + ": " + now + "} lowers " + l.name + "'s protection from " +
                     to_string(l.protect) + " (manifest) to " + now + " in env '" + stack.env.name +
                     "'"};
    out.push_back({i, d});
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
