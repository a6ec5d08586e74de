# Layer s3-request-logs of env dev (module s3-app).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/platform/terraform-modules.git//modules/s3-app?ref=main"
}

# locals {
# }

# inputs = {
# }
