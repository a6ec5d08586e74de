#include "stackctl/manifest/check_hcl.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "stackctl/manifest/hcl.h"
#include "stackctl/util/file_text.h"

namespace stackctl {
namespace fs = std::filesystem;

namespace {

// Layer position by canonical folder, for the enabled terragrunt layers.
std::map<fs::path, std::size_t> layers_by_dir(const Stack& stack) {
  std::map<fs::path, std::size_t> out;
  for (std::size_t i = 0; i < stack.size(); ++i)
    if (stack.enabled[i] && stack.layer(i).kind == LayerKind::Terragrunt)
      out.emplace(fs::weakly_canonical(stack.dirs[i]), i);
  return out;
}

void check_layer(const Stack& stack, std::size_t i, const std::map<fs::path, std::size_t>& by_dir,
                 Diagnostics& diags) {
  const Layer& l = stack.layer(i);
  const std::string manifest = stack.manifest->file.string();
  fs::path file = stack.dirs[i] / "terragrunt.hcl";
  if (!fs::exists(file)) return;  // check_layer_folders reports it
  auto text = read_text_file(file);
  if (!text)
    return diags.error(
        file.string(), 0,
        "cannot read (layer '" + l.name + "'; run stackctl scaffold --env " + stack.env.name + ")");
  HclModule mod;
  std::string error;
  if (!parse_hcl(*text, mod, error)) return diags.error(file.string(), 0, error);
  std::vector<std::string> paths = mod.dependency_paths;
  for (const auto& d : mod.dependencies) paths.push_back(d.config_path);
  std::set<std::string> in_hcl;
  for (const auto& p : paths) {
    auto it = by_dir.find(fs::weakly_canonical(stack.dirs[i] / p));
    if (it == by_dir.end()) {
      diags.warning(
          file.string(), 0,
          "dependency '" + p + "' is not an enabled layer of env '" + stack.env.name + "'");
      continue;
    }
    const std::string& dep = stack.layer(it->second).name;
    in_hcl.insert(dep);
    if (std::find(l.depends_on.begin(), l.depends_on.end(), dep) == l.depends_on.end())
      diags.error(manifest, l.line,
                  "layer '" + l.name + "' lacks depends_on '" + dep + "', which " + file.string() +
                      " declares");
  }
  for (const auto& dep : l.depends_on) {
    const Layer* d = stack.manifest->find(dep);
    if (d && d->kind == LayerKind::Terragrunt && !in_hcl.count(dep))
      diags.warning(manifest, l.line,
                    "layer '" + l.name + "' depends on '" + dep + "', which " + file.string() +
                        " does not declare (ordering only)");
  }
}

}  // namespace

void check_layer_folders(const Stack& stack, Diagnostics& diags) {
  const std::string hint = " (stackctl scaffold --env " + stack.env.name + " writes a skeleton)";
  for (std::size_t i = 0; i < stack.size(); ++i) {
    const Layer& l = stack.layer(i);
    if (!stack.enabled[i] || l.kind != LayerKind::Terragrunt) continue;
    std::error_code ec;
    if (!fs::is_directory(stack.dirs[i], ec))
      diags.error(stack.dirs[i].string(), 0, "no folder for layer '" + l.name + "'" + hint);
    else if (!fs::exists(stack.dirs[i] / "terragrunt.hcl", ec))
      diags.error((stack.dirs[i] / "terragrunt.hcl").string(), 0,
                  "missing: layer '" + l.name + "' has no terragrunt.hcl" + hint);
  }
}

void check_hcl_edges(const Stack& stack, Diagnostics& diags) {
  auto by_dir = layers_by_dir(stack);
  for (std::size_t i = 0; i < stack.size(); ++i)
    if (stack.enabled[i] && stack.layer(i).kind == LayerKind::Terragrunt)
      check_layer(stack, i, by_dir, diags);
}

}  // namespace stackctl
