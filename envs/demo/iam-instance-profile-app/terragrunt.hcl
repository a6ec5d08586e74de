# Layer iam-instance-profile-app of env demo (module iam-instance-profile-app).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//iam-instance-profile-app"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "kms" {
  config_path = "../kms"
}

dependency "s3-codepipeline-app" {
  config_path = "../s3-codepipeline-app"
}

dependency "s3-app" {
  config_path = "../s3-app"
}

# locals {
# }

# inputs = {
#   some_input = dependency.kms.outputs.some_output
# }
