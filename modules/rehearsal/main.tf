# The one module of the rehearsal env (envs/rehearsal): a stand-in for a real component that
# needs no cloud account and nothing downloaded. OpenTofu's builtin terraform_data resource
# records the layer's name and the ids of the layers it depends on, so a layer whose upstream is
# recreated is updated as a real one would be, and `id` is what its dependents read.

terraform {
  required_version = ">= 1.6"
}

variable "layer" {
  description = "Name of the layer this unit stands in for."
  type        = string
}

variable "upstream" {
  description = "The id output of each layer this one depends on, by layer name."
  type        = map(string)
  default     = {}
}

variable "sleep_seconds" {
  description = "How long creating the resource takes, to stand in for a slow component (RDS, CloudFront)."
  type        = number
  default     = 0
}

resource "terraform_data" "this" {
  input = {
    layer    = var.layer
    upstream = var.upstream
  }

  # A slow create. An interrupt stops the sleep; on_failure = continue keeps the resource
  # recorded as created (not tainted), as a cloud resource that finished creating would be, so a
  # resumed run finds it in the state instead of replacing it.
  provisioner "local-exec" {
    command    = "sleep ${var.sleep_seconds}"
    on_failure = continue
  }
}

output "id" {
  description = "The resource's id, read by the dependents' dependency blocks."
  value       = terraform_data.this.id
}
