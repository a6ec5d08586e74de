# Layer codedeploy-app of env demo (module codedeploy).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//codedeploy"
}

# locals {
# }

# inputs = {
# }
