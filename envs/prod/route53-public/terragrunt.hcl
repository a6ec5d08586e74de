# Layer route53-public of env prod (module route53-zone).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/route53-zone?ref=v1.0.0"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "route53-delegation-set" {
  config_path = "../route53-delegation-set"
}

# locals {
# }

# inputs = {
#   some_input = dependency.route53-delegation-set.outputs.some_output
# }
