# A legacy root configuration: the root of the imported folder, not a layer.
dependency "not-a-layer" {
  config_path = "./vpc"
}
