dependency "bucket" {
  config_path = "../s3-data/"
}
