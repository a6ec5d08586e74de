// A manifest seen through one env: which layers are enabled, their protection, and the folder
// each runs in, with the checks that need both files.
#include <system_error>
#include <unordered_set>

#include "manifest_rules.h"
#include "stackctl/manifest/env.h"
#include "yaml_util.h"

namespace stackctl {
namespace fs = std::filesystem;
using yaml::quote;

namespace {

/// The line recorded for key in env.yaml, else the line of fallback, else 0.
int env_line(const EnvConfig& env, const std::string& key, const std::string& fallback) {
  auto it = env.lines.find(key);
  if (it == env.lines.end()) it = env.lines.find(fallback);
  return it == env.lines.end() ? 0 : it->second;
}

std::vector<std::string> layer_names(const Manifest& m) {
  std::vector<std::string> names;
  for (const Layer& l : m.layers) names.push_back(l.name);
  return names;
}

/// Every layer named in enable, disable and protect must exist; enabling a layer that is not
/// optional does nothing and is worth a warning.
void check_names(const Manifest& m, const EnvConfig& env, Diagnostics& diags) {
  const std::string file = env.file.string();
  const std::vector<std::string> names = layer_names(m);
  yaml::Suggester suggest;
  auto check = [&](const std::string& section, const std::string& name) {
    int line = env_line(env, section + ":" + name, section);
    const Layer* layer = m.find(name);
    if (layer == nullptr) {
      diags.error(file, line,
                  "unknown layer " + quote(name) + " in '" + section + "'" + suggest(name, names));
    } else if (section == "enable" && !layer->optional) {
      diags.warning(file, line,
                    "layer " + quote(name) + " in 'enable' is not optional; it is always enabled");
    }
  };
  for (const std::string& name : env.enable) check("enable", name);
  for (const std::string& name : env.disable) check("disable", name);
  for (const auto& entry : env.protect) check("protect", entry.first);
}

std::vector<bool> enabled_layers(const Manifest& m, const EnvConfig& env) {
  std::unordered_set<std::string> on(env.enable.begin(), env.enable.end());
  std::unordered_set<std::string> off(env.disable.begin(), env.disable.end());
  std::vector<bool> enabled(m.layers.size());
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const Layer& l = m.layers[i];
    enabled[i] = (!l.optional || env.enable_all || on.count(l.name) != 0) && off.count(l.name) == 0;
  }
  return enabled;
}

/// An enabled layer needs each dependency enabled: a disabled one is reported at its disable
/// entry, an optional one that is not enabled at the dependent.
void check_needs(const Manifest& m, const EnvConfig& env, const std::vector<bool>& enabled,
                 Diagnostics& diags) {
  const std::string file = env.file.string();
  std::unordered_set<std::string> off(env.disable.begin(), env.disable.end());
  std::vector<std::vector<std::size_t>> blocked(m.layers.size());  // disabled dep -> dependents
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    if (!enabled[i]) continue;
    const Layer& layer = m.layers[i];
    for (const std::string& dep : layer.depends_on) {
      std::optional<std::size_t> j = m.position(dep);
      if (!j || enabled[*j]) continue;
      if (off.count(dep) != 0) {
        blocked[*j].push_back(i);
        continue;
      }
      diags.error(file, env_line(env, "enable:" + layer.name, "enable"),
                  "layer " + quote(layer.name) + " is enabled but depends on " + quote(dep) +
                      ", which is not enabled in env " + quote(env.name) + " (add it to enable)");
    }
  }
  for (const std::string& name : env.disable) {
    std::optional<std::size_t> j = m.position(name);
    if (!j || blocked[*j].empty()) continue;
    const std::vector<std::size_t>& by = blocked[*j];
    std::string more =
        by.size() > 1 ? " (and " + std::to_string(by.size() - 1) + " more)" : std::string();
    diags.error(file, env_line(env, "disable:" + name, "disable"),
                "cannot disable " + quote(name) + ": enabled layer " +
                    quote(m.layers[by.front()].name) + " depends on it" + more);
    blocked[*j].clear();  // a name listed twice is reported once
  }
}

/// The env's terragrunt tree, absolute and canonical; an error when it does not exist.
fs::path resolve_tree(const EnvConfig& env, Diagnostics& diags) {
  std::error_code ec;
  fs::path tree = fs::absolute(env.folder / env.dir, ec).lexically_normal();
  if (!fs::is_directory(tree, ec)) {
    diags.error(env.file.string(), env_line(env, "dir", "dir"),
                "the env's terragrunt folder " + tree.string() + " does not exist");
    return tree;
  }
  fs::path canonical = fs::canonical(tree, ec);
  return ec ? tree : canonical;
}

/// Each layer's folder, with `..` and symlinks resolved; it must stay inside the tree (a command
/// may run in the tree itself).
fs::path resolve_dir(const Manifest& m, std::size_t i, const fs::path& tree, Diagnostics& diags) {
  const Layer& layer = m.layers[i];
  const std::string who = manifest_rules::label(layer, i) + " path " + quote(layer.path);
  std::error_code ec;
  fs::path dir = fs::weakly_canonical(tree / layer.path, ec);
  if (ec) {
    diags.error(m.file.string(), layer.line, who + " cannot be resolved: " + ec.message());
    return (tree / layer.path).lexically_normal();
  }
  fs::path rel = dir.lexically_relative(tree);
  if (rel.empty() || *rel.begin() == "..") {
    diags.error(m.file.string(), layer.line,
                who + " resolves to " + dir.string() + ", outside the env folder " + tree.string());
  } else if (rel == "." && layer.kind != LayerKind::Command) {
    diags.error(m.file.string(), layer.line,
                who + " resolves to the env folder " + tree.string() + " itself");
  }
  return dir;
}

}  // namespace

Stack resolve_stack(const Manifest& manifest, const EnvConfig& env, Diagnostics& diags) {
  Stack s;
  s.manifest = &manifest;
  s.env = env;
  check_names(manifest, env, diags);
  s.enabled = enabled_layers(manifest, env);
  check_needs(manifest, env, s.enabled, diags);
  for (const Layer& layer : manifest.layers) s.protect.push_back(layer.protect);
  for (const auto& [name, protect] : env.protect) {
    if (std::optional<std::size_t> i = manifest.position(name)) s.protect[*i] = protect;
  }
  s.tree = resolve_tree(env, diags);
  std::error_code ec;
  const bool tree_exists = fs::is_directory(s.tree, ec);
  for (std::size_t i = 0; i < manifest.layers.size(); ++i) {
    s.dirs.push_back(tree_exists ? resolve_dir(manifest, i, s.tree, diags)
                                 : (s.tree / manifest.layers[i].path).lexically_normal());
  }
  return s;
}

}  // namespace stackctl
