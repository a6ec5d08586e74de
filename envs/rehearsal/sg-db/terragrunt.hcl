# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer sg-db of env rehearsal: a real terragrunt unit over one terraform_data resource.

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

dependency "sg-app-public" {
  config_path = "../sg-app-public"
  mock_outputs = { id = "mock-sg-app-public" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "sg-build-app" {
  config_path = "../sg-build-app"
  mock_outputs = { id = "mock-sg-build-app" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "sg-app-private" {
  config_path = "../sg-app-private"
  mock_outputs = { id = "mock-sg-app-private" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  layer = "sg-db"
  upstream = {
    vpc              = dependency.vpc.outputs.id
    "sg-app-public"  = dependency.sg-app-public.outputs.id
    "sg-build-app"   = dependency.sg-build-app.outputs.id
    "sg-app-private" = dependency.sg-app-private.outputs.id
  }
}
