dependency "c" {
  config_path = "../c"
}
