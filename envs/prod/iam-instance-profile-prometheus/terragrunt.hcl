# Layer iam-instance-profile-prometheus of env prod (module iam-instance-profile-app).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/iam-instance-profile-app?ref=v1.0.0"
}

# locals {
# }

# inputs = {
# }
