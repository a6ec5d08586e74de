# Layer rds-app of env dev (module rds).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/rds?ref=main"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "sg-db" {
  config_path = "../sg-db"
}

dependency "vpc" {
  config_path = "../vpc"
}

# locals {
# }

# inputs = {
#   some_input = dependency.sg-db.outputs.some_output
# }
