x = <<EOT
never ends
