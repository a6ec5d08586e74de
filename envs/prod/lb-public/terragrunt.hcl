# Layer lb-public of env prod (module lb).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/lb?ref=v1.0.0"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "route53-public" {
  config_path = "../route53-public"
}

dependency "s3-request-logs" {
  config_path = "../s3-request-logs"
}

dependency "sg-lb-public" {
  config_path = "../sg-lb-public"
}

dependency "target-group-default" {
  config_path = "../target-group-default"
}

dependency "vpc" {
  config_path = "../vpc"
}

dependency "acm-public" {
  config_path = "../acm-public"
}

dependency "iam-s3-request-logs" {
  config_path = "../iam-s3-request-logs"
}

# locals {
# }

# inputs = {
#   some_input = dependency.route53-public.outputs.some_output
# }
