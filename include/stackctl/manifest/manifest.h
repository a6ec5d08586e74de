#pragma once
/// The layer manifest (docs/contract.md, The layer manifest): the ordered list of layers and how to
/// load it.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "stackctl/util/diagnostics.h"

namespace stackctl {

enum class LayerKind { Terragrunt, Manual, Command };
enum class Protect { None, Keep, Data };

/// Ordered key/value pairs (environment variables keep their file order).
using EnvVars = std::vector<std::pair<std::string, std::string>>;

/// One entry of `layers:`.
struct Layer {
  std::string name;
  std::string tier;
  LayerKind kind = LayerKind::Terragrunt;
  std::string path;  ///< relative to the env's tree; defaults to name (to "." for kind: command)
  std::vector<std::string> depends_on;  ///< names of earlier layers
  Protect protect = Protect::None;
  bool optional = false;
  std::vector<std::string> needs_env;
  EnvVars env;
  std::string description;
  std::string instructions;          ///< kind: manual
  std::vector<std::string> command;  ///< kind: command, argv run without a shell
  std::string module;                ///< Terraform module the layer uses (scaffold, --changed)
  int line = 0;                      ///< line of the entry in the manifest file
};

/// The whole manifest. layers are in file order, which is the bring-up order.
struct Manifest {
  std::filesystem::path file;  ///< as found or given
  std::filesystem::path root;  ///< project root: the folder holding layers/
  int version = 1;
  std::vector<std::string> tiers;
  std::vector<Layer> layers;
  std::unordered_map<std::string, std::size_t> index;  ///< name -> position in layers

  /// The layer called name, or nullptr.
  const Layer* find(std::string_view name) const;
  /// The layer called name, that the user named; throws Error(Usage) `unknown layer 'x'` with
  /// the closest name when there is none.
  const Layer& named(const std::string& name) const;
  /// Position of the layer called name; nullopt when there is none.
  std::optional<std::size_t> position(std::string_view name) const;
};

/// True when name matches `[a-z0-9][a-z0-9._-]*` (and is at most 128 characters).
bool valid_layer_name(std::string_view name);
const char* to_string(LayerKind k);
const char* to_string(Protect p);
/// Parses `none|keep|data`; nullopt for anything else.
std::optional<Protect> parse_protect(std::string_view s);

/// Parses manifest text. Every problem is appended to diags as `FILE:LINE: message`
/// (file is the name used in messages); the result is only meaningful when diags has no errors.
Manifest parse_manifest(std::string_view text, const std::string& file, Diagnostics& diags);

/// Reads and parses a manifest file; a missing or unreadable file is a diagnostic, not an
/// exception.
Manifest load_manifest(const std::filesystem::path& file, Diagnostics& diags);

/// Walks up from start to the first folder holding layers/manifest.yaml; nullopt when none.
std::optional<std::filesystem::path> find_project_root(const std::filesystem::path& start);

}  // namespace stackctl
