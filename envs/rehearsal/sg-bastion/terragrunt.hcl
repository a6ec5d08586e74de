# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer sg-bastion of env rehearsal: a real terragrunt unit over one terraform_data resource.

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

inputs = {
  layer = "sg-bastion"
  upstream = {
    vpc = dependency.vpc.outputs.id
  }
}
