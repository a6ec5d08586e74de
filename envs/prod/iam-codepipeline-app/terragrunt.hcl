# Layer iam-codepipeline-app of env prod (module iam-codepipeline-app).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/iam-codepipeline-app?ref=v1.0.0"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "iam-codepipeline" {
  config_path = "../iam-codepipeline"
}

dependency "s3-codepipeline-app" {
  config_path = "../s3-codepipeline-app"
}

dependency "codestar-connection" {
  config_path = "../codestar-connection"
}

dependency "s3-app" {
  config_path = "../s3-app"
}

# locals {
# }

# inputs = {
#   some_input = dependency.iam-codepipeline.outputs.some_output
# }
