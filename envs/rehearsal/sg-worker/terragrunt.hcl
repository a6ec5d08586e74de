# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer sg-worker of env rehearsal: a real terragrunt unit over one terraform_data resource.

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

dependency "sg-bastion" {
  config_path = "../sg-bastion"
  mock_outputs = { id = "mock-sg-bastion" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "sg-devops" {
  config_path = "../sg-devops"
  mock_outputs = { id = "mock-sg-devops" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  layer = "sg-worker"
  upstream = {
    vpc          = dependency.vpc.outputs.id
    "sg-bastion" = dependency.sg-bastion.outputs.id
    "sg-devops"  = dependency.sg-devops.outputs.id
  }
}
