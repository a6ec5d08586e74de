dependency "b" {
  config_path = "../b"
}

--8<--
dependency "c" {
  config_path = "../c"
}

--8<--
dependency "a" {
  config_path = "../a"
}

--8<--
dependency "a" {
  config_path = "../a"
}

--8<--
