# Layer sg-build-app of env dev (module sg).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/sg?ref=main"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "vpc" {
  config_path = "../vpc"
}

# locals {
# }

# inputs = {
#   some_input = dependency.vpc.outputs.some_output
# }
