# Layer iam-codepipeline of env dev (module iam-codepipeline).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/iam-codepipeline?ref=main"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "kms" {
  config_path = "../kms"
}

# locals {
# }

# inputs = {
#   some_input = dependency.kms.outputs.some_output
# }
