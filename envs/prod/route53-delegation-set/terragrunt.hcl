# Layer route53-delegation-set of env prod (module route53-delegation-set).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/route53-delegation-set?ref=v1.0.0"
}

# locals {
# }

# inputs = {
# }
