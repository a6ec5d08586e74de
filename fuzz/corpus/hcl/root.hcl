# Root configuration of env dev, included by the terragrunt.hcl of every layer.
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

locals {
  env = "dev"
  # The env's region (AWS_REGION in env.yaml): the state bucket and the provider. A layer
  # with an AWS_REGION of its own replaces the provider in its terragrunt.hcl.
  region = "us-east-2"
}

# One state file per layer, keyed by env and layer folder. Set the bucket and lock table
# names here or in TF_STATE_BUCKET and TF_STATE_LOCK_TABLE.
remote_state {
  backend = "s3"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    bucket         = get_env("TF_STATE_BUCKET", "CHANGE-ME-dev-terraform-state")
    key            = "${local.env}/${path_relative_to_include()}/terraform.tfstate"
    region         = local.region
    encrypt        = true
    dynamodb_table = get_env("TF_STATE_LOCK_TABLE", "CHANGE-ME-dev-terraform-locks")
  }
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<EOF
provider "aws" {
  region = "${local.region}"
}
EOF
}
