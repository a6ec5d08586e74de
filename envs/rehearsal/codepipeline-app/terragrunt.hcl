# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer codepipeline-app of env rehearsal: a real terragrunt unit over one terraform_data resource.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//rehearsal"
}

dependency "kms" {
  config_path = "../kms"
  mock_outputs = { id = "mock-kms" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "s3-app" {
  config_path = "../s3-app"
  mock_outputs = { id = "mock-s3-app" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "s3-codepipeline-app" {
  config_path = "../s3-codepipeline-app"
  mock_outputs = { id = "mock-s3-codepipeline-app" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "iam-codepipeline" {
  config_path = "../iam-codepipeline"
  mock_outputs = { id = "mock-iam-codepipeline" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "iam-codepipeline-app" {
  config_path = "../iam-codepipeline-app"
  mock_outputs = { id = "mock-iam-codepipeline-app" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "vpc" {
  config_path = "../vpc"
  mock_outputs = { id = "mock-vpc" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "sg-build-app" {
  config_path = "../sg-build-app"
  mock_outputs = { id = "mock-sg-build-app" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "ecr-build-app" {
  config_path = "../ecr-build-app"
  mock_outputs = { id = "mock-ecr-build-app" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "codedeploy-app" {
  config_path = "../codedeploy-app"
  mock_outputs = { id = "mock-codedeploy-app" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "codedeploy-deployment-app-asg" {
  config_path = "../codedeploy-deployment-app-asg"
  mock_outputs = { id = "mock-codedeploy-deployment-app-asg" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "codedeploy-deployment-app-ec2" {
  config_path = "../codedeploy-deployment-app-ec2"
  mock_outputs = { id = "mock-codedeploy-deployment-app-ec2" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  layer = "codepipeline-app"
  upstream = {
    kms                             = dependency.kms.outputs.id
    "s3-app"                        = dependency.s3-app.outputs.id
    "s3-codepipeline-app"           = dependency.s3-codepipeline-app.outputs.id
    "iam-codepipeline"              = dependency.iam-codepipeline.outputs.id
    "iam-codepipeline-app"          = dependency.iam-codepipeline-app.outputs.id
    vpc                             = dependency.vpc.outputs.id
    "sg-build-app"                  = dependency.sg-build-app.outputs.id
    "ecr-build-app"                 = dependency.ecr-build-app.outputs.id
    "codedeploy-app"                = dependency.codedeploy-app.outputs.id
    "codedeploy-deployment-app-asg" = dependency.codedeploy-deployment-app-asg.outputs.id
    "codedeploy-deployment-app-ec2" = dependency.codedeploy-deployment-app-ec2.outputs.id
  }
}
