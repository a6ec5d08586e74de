# Layer route53-delegation-set of env dev (module route53-delegation-set).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/route53-delegation-set?ref=main"
}

# locals {
# }

# inputs = {
# }
