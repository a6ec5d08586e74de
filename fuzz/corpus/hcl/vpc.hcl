# Layer vpc of env dev (module vpc).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/vpc?ref=main"
}

# locals {
# }

# inputs = {
# }
