# Layer ec2-app of env prod (module ec2-public).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/ec2-public?ref=v1.0.0"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "iam-instance-profile-app" {
  config_path = "../iam-instance-profile-app"
}

dependency "sg-app-public" {
  config_path = "../sg-app-public"
}

dependency "route53-public" {
  config_path = "../route53-public"
}

dependency "vpc" {
  config_path = "../vpc"
}

# locals {
# }

# inputs = {
#   some_input = dependency.iam-instance-profile-app.outputs.some_output
# }
