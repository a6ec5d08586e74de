# Layer iam-s3-request-logs of env prod (module iam-s3-request-logs).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/iam-s3-request-logs?ref=v1.0.0"
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
