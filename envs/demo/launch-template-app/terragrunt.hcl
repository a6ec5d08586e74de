# Layer launch-template-app of env demo (module launch-template).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//launch-template"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "iam-instance-profile-app" {
  config_path = "../iam-instance-profile-app"
}

dependency "sg-app-private" {
  config_path = "../sg-app-private"
}

# locals {
# }

# inputs = {
#   some_input = dependency.iam-instance-profile-app.outputs.some_output
# }
