include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

dependency "sg" {
  config_path = "${get_terragrunt_dir()}/../../sg-db"
}

dependency "key" {
  config_path = find_in_parent_folders("kms")
}

dependency "shared" {
  config_path = "../../../outside/network"
}

dependencies {
  paths = [
    "../../vpc", # the network
    "../../kms",
    "../../missing",
  ]
}

inputs = {
  password = get_env("TF_VAR_rds_master_pass")
}
