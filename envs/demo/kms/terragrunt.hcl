# Layer kms of env demo (module kms).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//kms"
}

# locals {
# }

# inputs = {
# }
