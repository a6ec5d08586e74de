# Layer asg-app of env dev (module asg).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/asg?ref=main"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "vpc" {
  config_path = "../vpc"
}

dependency "launch-template-app" {
  config_path = "../launch-template-app"
}

dependency "target-group-default" {
  config_path = "../target-group-default"
}

# locals {
# }

# inputs = {
#   some_input = dependency.vpc.outputs.some_output
# }
