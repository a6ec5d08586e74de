# Root configuration of env rehearsal, included by the terragrunt.hcl of every layer.
#
# One local state file per layer under envs/rehearsal/.state/<layer>/ (git-ignored), and no
# provider block: the rehearsal module uses only OpenTofu's builtin terraform_data resource, so
# `tofu init` needs no network and no cloud account.
#
# The backend is a remote_state block rather than a plain generate block: with one, terragrunt
# reads a dependency's outputs in an initialised folder or a temporary one instead of running
# `terragrunt output` in the dependency, which copies the module into the dependency's
# .terragrunt-cache again and races with the other layers that read the same dependency at the
# same time ("Backend initialization required ... Unsetting the previously set backend").
remote_state {
  backend = "local"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    path = "${get_parent_terragrunt_dir()}/.state/${path_relative_to_include()}/terraform.tfstate"
  }
}
