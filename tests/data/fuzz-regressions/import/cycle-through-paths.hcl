dependencies {
 paths = ["../sg-db"]
}
--8<--
dependency "x" {
 config_path = "../app/rds"
}
--8<--
dependency "v" {
 config_path = "../../vpc"
}
--8<--
dependency "self" {
 config_path = "."
}
