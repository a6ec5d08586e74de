# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer codedeploy-deployment-app-ec2 of env rehearsal: a real terragrunt unit over one terraform_data resource.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//rehearsal"
}

dependency "iam-codepipeline" {
  config_path = "../iam-codepipeline"
  mock_outputs = { id = "mock-iam-codepipeline" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "sns-codedeploy-app" {
  config_path = "../sns-codedeploy-app"
  mock_outputs = { id = "mock-sns-codedeploy-app" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "ec2-app" {
  config_path = "../ec2-app"
  mock_outputs = { id = "mock-ec2-app" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "codedeploy-app" {
  config_path = "../codedeploy-app"
  mock_outputs = { id = "mock-codedeploy-app" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  layer = "codedeploy-deployment-app-ec2"
  upstream = {
    "iam-codepipeline"   = dependency.iam-codepipeline.outputs.id
    "sns-codedeploy-app" = dependency.sns-codedeploy-app.outputs.id
    "ec2-app"            = dependency.ec2-app.outputs.id
    "codedeploy-app"     = dependency.codedeploy-app.outputs.id
  }
}
