#include "stackctl/manifest/workspace.h"

#include "stackctl/util/error.h"

namespace stackctl {
namespace fs = std::filesystem;

namespace {

// Throws Error(Invalid) with every error found; keeps warnings.
void raise_if_errors(const Diagnostics& diags, std::vector<std::string>& warnings) {
  for (const auto& d : diags.all())
    if (d.severity == Severity::Warning) warnings.push_back(d.str());
  if (!diags.has_errors()) return;
  std::string text;
  for (const auto& d : diags.all())
    if (d.severity == Severity::Error) text += (text.empty() ? "" : "\n") + d.str();
  throw invalid_error(text);
}

}  // namespace

std::unique_ptr<Workspace> Workspace::open(const Locations& where) {
  std::unique_ptr<Workspace> ws(new Workspace());
  fs::path manifest_file;
  if (!where.manifest.empty()) {
    manifest_file = where.manifest;
    fs::path abs = fs::absolute(manifest_file);
    // layers/manifest.yaml sits one level below the project root.
    ws->root_ = abs.parent_path().filename() == "layers" ? abs.parent_path().parent_path()
                                                         : abs.parent_path();
  } else {
    auto root = find_project_root(fs::current_path());
    if (!root)
      throw usage_error(
          "no layers/manifest.yaml in " + fs::current_path().string() +
          " or any parent folder (run stackctl inside a project, or pass --manifest FILE)");
    ws->root_ = *root;
    manifest_file = *root / "layers" / "manifest.yaml";
  }
  Diagnostics diags;
  ws->manifest_ = load_manifest(manifest_file, diags);
  raise_if_errors(diags, ws->warnings_);
  ws->graph_ = std::make_unique<Graph>(ws->manifest_);
  ws->envs_dir_ = where.envs_dir.empty() ? ws->root_ / "envs" : fs::absolute(where.envs_dir);
  ws->state_root_ =
      where.state_dir.empty() ? ws->root_ / ".stackctl" : fs::absolute(where.state_dir);
  return ws;
}

void Workspace::select_env(const std::string& name) {
  Diagnostics diags;
  if (!fs::is_directory(envs_dir_))
    throw usage_error("no envs folder at " + envs_dir_.string() + " (pass --envs-dir DIR)");
  EnvConfig env = load_env(envs_dir_, name, diags);
  // A name that is not one folder (`dev/../dev`, `..`) is never an env, even when it leads to one.
  const bool one_folder = name.find('/') == std::string::npos && name != "." && name != "..";
  if (diags.has_errors() && (!one_folder || !fs::exists(envs_dir_ / name / "env.yaml"))) {
    throw usage_error(diags.str());
  }
  raise_if_errors(diags, warnings_);
  Diagnostics stack_diags;
  Stack stack = resolve_stack(manifest_, env, stack_diags);
  raise_if_errors(stack_diags, warnings_);
  stack_ = std::move(stack);
  pins_ = pinned_layers(*graph_, stack_->enabled, stack_->protect);
}

fs::path Workspace::env_state_dir() const {
  return state_root_ / (stack_ ? stack_->env.name : std::string("_"));
}

}  // namespace stackctl
