# Layer sg-db of env dev (module sg).
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

dependency "sg-app-private" {
  config_path = "../sg-app-private"
}

dependency "sg-app-public" {
  config_path = "../sg-app-public"
}

dependency "sg-build-app" {
  config_path = "../sg-build-app"
}

# locals {
# }

# inputs = {
#   some_input = dependency.vpc.outputs.some_output
# }
