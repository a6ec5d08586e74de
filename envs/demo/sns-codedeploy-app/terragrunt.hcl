# Layer sns-codedeploy-app of env demo (module sns).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//sns"
}

# locals {
# }

# inputs = {
# }
