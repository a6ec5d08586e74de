# Layer kms of env dev (module kms).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/kms?ref=main"
}

# locals {
# }

# inputs = {
# }
