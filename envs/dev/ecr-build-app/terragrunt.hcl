# Layer ecr-build-app of env dev (module ecr-build).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/ecr-build?ref=main"
}

# locals {
# }

# inputs = {
# }
