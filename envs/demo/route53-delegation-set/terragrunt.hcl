# Layer route53-delegation-set of env demo (module route53-delegation-set).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//route53-delegation-set"
}

# locals {
# }

# inputs = {
# }
