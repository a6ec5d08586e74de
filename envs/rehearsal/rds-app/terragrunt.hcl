# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer rds-app of env rehearsal: a real terragrunt unit over one terraform_data resource.

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

dependency "sg-db" {
  config_path = "../sg-db"
  mock_outputs = { id = "mock-sg-db" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  layer = "rds-app"
  upstream = {
    vpc     = dependency.vpc.outputs.id
    "sg-db" = dependency.sg-db.outputs.id
  }
  sleep_seconds = 20 * tonumber(get_env("REHEARSAL_PACE", "1"))
}
