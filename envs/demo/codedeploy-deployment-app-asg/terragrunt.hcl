# Layer codedeploy-deployment-app-asg of env demo (module codedeploy-deployment-asg).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//codedeploy-deployment-asg"
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

dependency "target-group-default" {
  config_path = "../target-group-default"
}

dependency "asg-app" {
  config_path = "../asg-app"
}

# locals {
# }

# inputs = {
#   some_input = dependency.iam-codepipeline.outputs.some_output
# }
