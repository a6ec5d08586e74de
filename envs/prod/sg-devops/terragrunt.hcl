# Layer sg-devops of env prod (module sg).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/sg?ref=v1.0.0"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "vpc" {
  config_path = "../vpc"
}

dependency "sg-bastion" {
  config_path = "../sg-bastion"
}

# locals {
# }

# inputs = {
#   some_input = dependency.vpc.outputs.some_output
# }
