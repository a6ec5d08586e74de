# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer lb-public of env rehearsal: a real terragrunt unit over one terraform_data resource.

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

dependency "acm-public" {
  config_path = "../acm-public"
  mock_outputs = { id = "mock-acm-public" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "s3-request-logs" {
  config_path = "../s3-request-logs"
  mock_outputs = { id = "mock-s3-request-logs" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "vpc" {
  config_path = "../vpc"
  mock_outputs = { id = "mock-vpc" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "sg-lb-public" {
  config_path = "../sg-lb-public"
  mock_outputs = { id = "mock-sg-lb-public" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "iam-s3-request-logs" {
  config_path = "../iam-s3-request-logs"
  mock_outputs = { id = "mock-iam-s3-request-logs" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "target-group-default" {
  config_path = "../target-group-default"
  mock_outputs = { id = "mock-target-group-default" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  layer = "lb-public"
  upstream = {
    "route53-public"       = dependency.route53-public.outputs.id
    "acm-public"           = dependency.acm-public.outputs.id
    "s3-request-logs"      = dependency.s3-request-logs.outputs.id
    vpc                    = dependency.vpc.outputs.id
    "sg-lb-public"         = dependency.sg-lb-public.outputs.id
    "iam-s3-request-logs"  = dependency.iam-s3-request-logs.outputs.id
    "target-group-default" = dependency.target-group-default.outputs.id
  }
  sleep_seconds = 5 * tonumber(get_env("REHEARSAL_PACE", "1"))
}
