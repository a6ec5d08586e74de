# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer iam-instance-profile-app of env rehearsal: a real terragrunt unit over one terraform_data resource.

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

inputs = {
  layer = "iam-instance-profile-app"
  upstream = {
    kms                   = dependency.kms.outputs.id
    "s3-app"              = dependency.s3-app.outputs.id
    "s3-codepipeline-app" = dependency.s3-codepipeline-app.outputs.id
  }
}
