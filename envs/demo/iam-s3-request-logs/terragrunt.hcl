# Layer iam-s3-request-logs of env demo (module iam-s3-request-logs).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//iam-s3-request-logs"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "s3-request-logs" {
  config_path = "../s3-request-logs"
}

# locals {
# }

# inputs = {
#   some_input = dependency.s3-request-logs.outputs.some_output
# }
