# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer asg-app of env rehearsal: a real terragrunt unit over one terraform_data resource.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//rehearsal"
}

dependency "vpc" {
  config_path = "../vpc"
  mock_outputs = { id = "mock-vpc" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "target-group-default" {
  config_path = "../target-group-default"
  mock_outputs = { id = "mock-target-group-default" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "launch-template-app" {
  config_path = "../launch-template-app"
  mock_outputs = { id = "mock-launch-template-app" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  layer = "asg-app"
  upstream = {
    vpc                    = dependency.vpc.outputs.id
    "target-group-default" = dependency.target-group-default.outputs.id
    "launch-template-app"  = dependency.launch-template-app.outputs.id
  }
}
