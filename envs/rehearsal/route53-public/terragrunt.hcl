# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer route53-public of env rehearsal: a real terragrunt unit over one terraform_data resource.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//rehearsal"
}

dependency "route53-delegation-set" {
  config_path = "../route53-delegation-set"
  mock_outputs = { id = "mock-route53-delegation-set" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  layer = "route53-public"
  upstream = {
    "route53-delegation-set" = dependency.route53-delegation-set.outputs.id
  }
}
