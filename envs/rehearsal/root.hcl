# Root configuration of env rehearsal, included by the terragrunt.hcl of every layer.
#
# One local state file per layer under envs/rehearsal/.state/<layer>/ (git-ignored), and no
# provider block: the rehearsal module uses only OpenTofu's builtin terraform_data resource, so
# `tofu init` needs no network and no cloud account.

generate "backend" {
  path      = "backend.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<EOF
terraform {
  backend "local" {
    path = "${get_parent_terragrunt_dir()}/.state/${path_relative_to_include()}/terraform.tfstate"
  }
}
EOF
}
