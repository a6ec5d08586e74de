# every construct the reader steps over
locals {
  region = "eu-west-1" // trailing comment
  list   = [for s in ["a", "b"] : upper(s) if s != "}"]
  map    = { "k" = "v", other = { nested = [1, 2.5e3, true, null] } }
  tmpl   = "${local.region}-%{ if true }x%{ endif }-\u00e9\"quoted\""
  doc    = <<-EOT
    heredoc with } and ${"interpolation"}
    EOT
}
/* block comment with dependency "fake" { config_path = "../nope" } */
dependency "vpc" {
  config_path  = "../vpc"
  mock_outputs = { vpc_id = "vpc-mock" }
  mock_outputs_allowed_terraform_commands = ["plan", "validate"]
}
dependencies {
  paths = ["../kms", "${get_terragrunt_dir()}/../sg-db"]
}
terraform {
  source = "tfr:///terraform-aws-modules/vpc/aws?version=5.0.0"
}
prevent_destroy = true
inputs = merge(local.map, { cidr = "10.0.0.0/16" })
