# Layer s3-request-logs of env demo (module s3-app).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//s3-app"
}

# locals {
# }

# inputs = {
# }
