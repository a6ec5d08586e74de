# Layer codedeploy-deployment-app-ec2 of env dev (module codedeploy-deployment-ec2).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/codedeploy-deployment-ec2?ref=main"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "iam-codepipeline" {
  config_path = "../iam-codepipeline"
}

dependency "sns-codedeploy-app" {
  config_path = "../sns-codedeploy-app"
}

dependency "codedeploy-app" {
  config_path = "../codedeploy-app"
}

dependency "ec2-app" {
  config_path = "../ec2-app"
}

# locals {
# }

# inputs = {
#   some_input = dependency.iam-codepipeline.outputs.some_output
# }
