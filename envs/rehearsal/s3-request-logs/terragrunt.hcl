# Written by tools/rehearsal/generate from layers/manifest.yaml; run it again after a manifest change.
# Layer s3-request-logs of env rehearsal: a real terragrunt unit over one terraform_data resource.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//rehearsal"
}

inputs = {
  layer = "s3-request-logs"
}
