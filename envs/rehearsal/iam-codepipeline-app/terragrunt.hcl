# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer iam-codepipeline-app of env rehearsal: a real terragrunt unit over one terraform_data resource.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//rehearsal"
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

dependency "codestar-connection" {
  config_path = "../codestar-connection"
  mock_outputs = { id = "mock-codestar-connection" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  layer = "iam-codepipeline-app"
  upstream = {
    "s3-app"              = dependency.s3-app.outputs.id
    "s3-codepipeline-app" = dependency.s3-codepipeline-app.outputs.id
    "iam-codepipeline"    = dependency.iam-codepipeline.outputs.id
    "codestar-connection" = dependency.codestar-connection.outputs.id
  }
}
