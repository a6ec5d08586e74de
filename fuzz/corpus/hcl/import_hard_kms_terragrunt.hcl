prevent_destroy = true

/*
dependency "vpc" {
  config_path = "../vpc"
}
*/

inputs = {
  policy = <<-EOT
    {
      "Statement": [{ "Effect": "Allow" }]
    }
    dependency "vpc" {
      config_path = "../vpc"
    }
  EOT
}
