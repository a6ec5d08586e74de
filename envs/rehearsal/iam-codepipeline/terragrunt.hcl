# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer iam-codepipeline of env rehearsal: a real terragrunt unit over one terraform_data resource.

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

inputs = {
  layer = "iam-codepipeline"
  upstream = {
    kms = dependency.kms.outputs.id
  }
}
