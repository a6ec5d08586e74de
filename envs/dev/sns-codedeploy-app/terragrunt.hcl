# Layer sns-codedeploy-app of env dev (module sns).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/sns?ref=main"
}

# locals {
# }

# inputs = {
# }
