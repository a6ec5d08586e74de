# Layer ecr-build-app of env demo (module ecr-build).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//ecr-build"
}

# locals {
# }

# inputs = {
# }
