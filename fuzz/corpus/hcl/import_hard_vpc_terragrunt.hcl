include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://example.com/modules.git//vpc?ref=v1.0.0"
}

# dependency "kms" {
#   config_path = "../kms"
# }

inputs = {
  name = "vpc"
  tags = { Owner = "platform # not a comment", Url = "https://example.com/a//b" }
}
