# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer ecr-build-app of env rehearsal: a real terragrunt unit over one terraform_data resource.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//rehearsal"
}

inputs = {
  layer = "ecr-build-app"
}
