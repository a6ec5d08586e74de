locals {
  note   = "dependency \"fake\" { config_path = \"../fake\" } # // not comments"
  nested = {
    dependency = { config_path = "../not-a-block" }
  }
}

terraform {
  source = "../modules//sg"

  extra_arguments "retry" {
    commands  = get_terraform_commands_that_need_locking()
    arguments = ["-lock-timeout=20m"]
  }

  before_hook "check" {
    commands = ["apply"]
    execute  = ["echo", "{ not a block }"]
  }
}

dependency "vpc" {
  config_path = "../vpc" // trailing comment
  mock_outputs = {
    vpc_id = "vpc-${"mock"}"
  }
}

generate "provider" {
  path     = "provider.tf"
  contents = <<EOF
provider "aws" {
  region = "${local.region}"
}
dependency "kms" { config_path = "../kms" }
EOF
}

inputs = merge(
  { vpc_id = dependency.vpc.outputs.vpc_id },
  jsondecode(file("${get_terragrunt_dir()}/extra.json")),
)
