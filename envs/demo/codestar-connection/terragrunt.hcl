# Layer codestar-connection of env demo (module codestar-connection).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//codestar-connection"
}

# locals {
# }

# inputs = {
# }
