# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer ec2-app of env rehearsal: a real terragrunt unit over one terraform_data resource.

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

dependency "iam-instance-profile-app" {
  config_path = "../iam-instance-profile-app"
  mock_outputs = { id = "mock-iam-instance-profile-app" }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
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

inputs = {
  layer = "ec2-app"
  upstream = {
    "route53-public"           = dependency.route53-public.outputs.id
    "iam-instance-profile-app" = dependency.iam-instance-profile-app.outputs.id
    vpc                        = dependency.vpc.outputs.id
    "sg-app-public"            = dependency.sg-app-public.outputs.id
  }
}
