# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer acm-public of env rehearsal: a real terragrunt unit over one terraform_data resource.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//rehearsal"
}

dependency "route53-public" {
  config_path = "../route53-public"
  mock_outputs = { id = "mock-route53-public" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  layer = "acm-public"
  upstream = {
    "route53-public" = dependency.route53-public.outputs.id
  }
}
