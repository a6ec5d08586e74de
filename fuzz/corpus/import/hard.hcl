include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://example.com/modules.git//vpc?ref=v1.0.0"
}

# dependency "kms" {
#   config_path = "../kms"
# }

inputs = {
  name = "vpc"
  tags = { Owner = "platform # not a comment", Url = "https://example.com/a//b" }
}

--8<--
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

--8<--
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

dependency "sg" {
  config_path = "${get_terragrunt_dir()}/../../sg-db"
}

dependency "key" {
  config_path = find_in_parent_folders("kms")
}

dependency "shared" {
  config_path = "../../../outside/network"
}

dependencies {
  paths = [
    "../../vpc", # the network
    "../../kms",
    "../../missing",
  ]
}

inputs = {
  password = get_env("TF_VAR_rds_master_pass")
}

--8<--
dependencies { paths = ["../iam-s3-access"] }
