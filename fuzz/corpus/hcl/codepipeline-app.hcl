# Layer codepipeline-app of env dev (module codepipeline).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/codepipeline?ref=main"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "vpc" {
  config_path = "../vpc"
}

dependency "sg-build-app" {
  config_path = "../sg-build-app"
}

dependency "kms" {
  config_path = "../kms"
}

dependency "iam-codepipeline" {
  config_path = "../iam-codepipeline"
}

dependency "s3-app" {
  config_path = "../s3-app"
}

dependency "s3-codepipeline-app" {
  config_path = "../s3-codepipeline-app"
}

dependency "ecr-build-app" {
  config_path = "../ecr-build-app"
}

dependency "codedeploy-app" {
  config_path = "../codedeploy-app"
}

dependency "codedeploy-deployment-app-asg" {
  config_path = "../codedeploy-deployment-app-asg"
}

dependency "codedeploy-deployment-app-ec2" {
  config_path = "../codedeploy-deployment-app-ec2"
}

dependency "iam-codepipeline-app" {
  config_path = "../iam-codepipeline-app"
}

# locals {
# }

# inputs = {
#   some_input = dependency.vpc.outputs.some_output
# }
