dependency "sg-db" {
  config_path = "../sg-db"
}
--8<--
dependency "vpc" {
  config_path = "../vpc"
}
dependencies {
  paths = ["../app/rds", "../../outside"]
}
--8<--
dependency "x" {
  config_path = "${get_terragrunt_dir()}/../../vpc"
}
--8<--
prevent_destroy = true
