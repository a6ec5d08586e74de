#pragma once
/// `stackctl scaffold`: terragrunt.hcl skeletons for the layers of an env that have none, and the
/// env's root configuration they include. Nothing that exists is ever overwritten.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "stackctl/commands/run.h"
#include "stackctl/manifest/env.h"

namespace stackctl {

/// The root configuration scaffold writes into the env's tree (terragrunt's current convention;
/// a tree that already has a root `terragrunt.hcl` and no `root.hcl` keeps using that one).
inline constexpr const char* kRootHcl = "root.hcl";

/// What scaffold did, in the order it looked: the root file first, then the layers in manifest
/// order.
struct ScaffoldReport {
  struct File {
    std::filesystem::path path;
    bool written = false;  ///< false: it was already there and was left untouched
  };
  std::vector<File> files;

  /// How many files were written (or, with false, skipped).
  std::size_t count(bool written) const;
};

/// File name of the root configuration the layers of stack include: `terragrunt.hcl` when the
/// tree holds a legacy root terragrunt.hcl and no root.hcl, else `root.hcl`.
std::string root_file_name(const Stack& stack);

/// The root configuration of the env: S3 remote state keyed by env and layer folder
/// (`<env>/${path_relative_to_include()}/terraform.tfstate`) and a generated AWS provider in
/// the env's AWS_REGION.
std::string render_root_hcl(const Stack& stack);

/// The terragrunt.hcl skeleton of layer i: the include of the root file, the module source from
/// the env's module_source, one dependency block per terragrunt layer in depends_on (manual
/// and command layers are ordering only and get none), a provider override when the layer's
/// own AWS_REGION differs from the env's, and commented locals/inputs.
std::string render_layer_hcl(const Stack& stack, std::size_t i, const std::string& root_file);

/// Writes the root file and the terragrunt.hcl of every enabled terragrunt layer whose folder
/// lacks one, creating folders as needed. Never overwrites. False with error (`PATH: reason`)
/// on the first file that cannot be written; report keeps what was done before.
bool scaffold_stack(const Stack& stack, ScaffoldReport& report, std::string& error);

/// The `scaffold` command: loads the project and env, scaffolds, and prints `wrote PATH` and
/// `skipped PATH (exists)` lines and a summary on stderr (or one JSON document on stdout with
/// --output json). Returns the exit code; expected failures throw Error.
int scaffold_env(const Context& ctx, const std::string& env);

}  // namespace stackctl
