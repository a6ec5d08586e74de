#pragma once
/// `validate --check-hcl`: the manifest's depends_on against the terragrunt.hcl edges.
#include "stackctl/manifest/env.h"
#include "stackctl/util/diagnostics.h"

namespace stackctl {

/// For every enabled terragrunt layer, reads <layer dir>/terragrunt.hcl and compares its
/// `dependency` config_paths and `dependencies.paths` (resolved relative to the layer folder)
/// with the layer's terragrunt dependencies in the manifest. An edge in the HCL that the
/// manifest lacks is an error (stackctl could order the layers wrongly); an edge in the manifest
/// the HCL lacks is a warning (ordering only). An unreadable file is an error; a missing one is
/// left to check_layer_folders.
void check_hcl_edges(const Stack& stack, Diagnostics& diags);

/// An error for every enabled terragrunt layer whose folder or terragrunt.hcl is missing,
/// naming `stackctl scaffold --env E` as the way to write one.
void check_layer_folders(const Stack& stack, Diagnostics& diags);

}  // namespace stackctl
