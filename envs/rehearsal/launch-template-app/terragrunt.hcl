# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer launch-template-app of env rehearsal: a real terragrunt unit over one terraform_data resource.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//rehearsal"
}

dependency "iam-instance-profile-app" {
  config_path = "../iam-instance-profile-app"
  mock_outputs = { id = "mock-iam-instance-profile-app" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "sg-app-private" {
  config_path = "../sg-app-private"
  mock_outputs = { id = "mock-sg-app-private" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  layer = "launch-template-app"
  upstream = {
    "iam-instance-profile-app" = dependency.iam-instance-profile-app.outputs.id
    "sg-app-private"           = dependency.sg-app-private.outputs.id
  }
}
