# Layer sns-codedeploy-app of env prod (module sns).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/sns?ref=v1.0.0"
}

# locals {
# }

# inputs = {
# }
