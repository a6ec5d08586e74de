# Layer route53-public-www of env dev (module route53-alias).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/route53-alias?ref=main"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "route53-public" {
  config_path = "../route53-public"
}

dependency "lb-public" {
  config_path = "../lb-public"
}

# locals {
# }

# inputs = {
#   some_input = dependency.route53-public.outputs.some_output
# }
