# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer iam-s3-request-logs of env rehearsal: a real terragrunt unit over one terraform_data resource.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//rehearsal"
}

dependency "s3-request-logs" {
  config_path = "../s3-request-logs"
  mock_outputs = { id = "mock-s3-request-logs" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  layer = "iam-s3-request-logs"
  upstream = {
    "s3-request-logs" = dependency.s3-request-logs.outputs.id
  }
}
