#pragma once
/// `stackctl import`: a manifest derived from an existing terragrunt tree, one layer per folder
/// holding a terragrunt.hcl, with the edges of its `dependency` blocks and `dependencies.paths`.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackctl/commands/run.h"
#include "stackctl/util/error.h"

namespace stackctl {

/// One layer found in the tree.
struct ImportedLayer {
  std::string name;                     ///< the folder path, normalised (see import_layer_name)
  std::string folder;                   ///< relative to the imported folder, with '/'
  std::vector<std::string> depends_on;  ///< layer names, in the order the layers are printed
  /// Dependencies that cannot be edges, as comments: `depends on ../x (outside DIR)`.
  std::vector<std::string> notes;
  bool data_name = false;        ///< the folder name suggests user data (rds, s3, kms, ...)
  bool prevent_destroy = false;  ///< top-level `prevent_destroy = true`
};

/// The outcome of reading a tree: the layers in a dependency order, or an error.
struct ImportResult {
  std::vector<ImportedLayer> layers;
  std::string error;             ///< empty on success
  ExitCode code = ExitCode::Ok;  ///< Usage (not a folder, nothing found) or Invalid
};

/// The layer name of a folder path relative to the imported folder: its segments joined by '-',
/// ASCII letters lowercased. nullopt when the result is not a valid layer name.
std::optional<std::string> import_layer_name(std::string_view folder);

/// True when the folder name suggests user data: one of its words (split at '/', '-', '_' and
/// '.') is rds, s3, kms, elasticsearch or codecommit, and its last segment does not start with
/// the word iam or sg (access to the data, not the data).
bool import_suggests_data(std::string_view folder);

/// Reads every `<folder>/terragrunt.hcl` below dir (hidden folders such as .terragrunt-cache
/// skipped; dir's own terragrunt.hcl or root.hcl is the root configuration, not a layer) and
/// orders the layers: Kahn's algorithm, taking the first ready layer in folder order each time.
/// A cycle is an error `dependency cycle: a -> b -> a` (a depends on b).
ImportResult import_tree(const std::filesystem::path& dir);

/// The manifest YAML of the layers; from is the folder as the user named it (for the header).
std::string render_import(const std::vector<ImportedLayer>& layers, const std::string& from);

/// The `import` command: prints the manifest on stdout (or one JSON document with
/// --output json) and a one-line summary on stderr. Expected failures throw Error.
int import_manifest(const Context& ctx, const std::string& from);

}  // namespace stackctl
