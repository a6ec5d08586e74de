# Layer ecr-build-app of env prod (module ecr-build).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/ecr-build?ref=v1.0.0"
}

# locals {
# }

# inputs = {
# }
