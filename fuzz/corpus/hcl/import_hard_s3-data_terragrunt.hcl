dependency "kms" { config_path = "../kms" }
