# Layer s3-app of env demo (module s3-app).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//s3-app"
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
