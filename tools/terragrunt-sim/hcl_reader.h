#pragma once
/// The simulator's own reading of terragrunt.hcl, independent of stackctl's: a tokenizer
/// (comments, strings with templates, heredocs) and a parser of bodies, attributes and blocks.
/// Only what terragrunt-sim acts on is kept.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tgsim {

/// One `dependency "name" { ... }` block.
struct HclDependency {
  std::string name;         ///< the block label
  std::string config_path;  ///< the expression as written, e.g. `"../vpc"` (quotes kept)
  bool has_mock_outputs = false;
  /// mock_outputs_allowed_terraform_commands when it is a list of string literals; nullopt when
  /// the attribute is absent.
  std::optional<std::vector<std::string>> mock_allowed_commands;
  bool skip_outputs = false;  ///< skip_outputs = true
  int line = 0;               ///< line of the block header
};

/// What terragrunt-sim uses from one terragrunt.hcl.
struct HclConfig {
  std::vector<HclDependency> dependencies;    ///< in file order
  std::vector<std::string> dependency_paths;  ///< dependencies { paths = [...] }, quotes kept
  bool prevent_destroy = false;               ///< top-level prevent_destroy = true
};

/// Parses text. False with error = `LINE: message` on a syntax error (an unterminated string,
/// heredoc, comment, bracket or block, a stray `}`, an attribute without a value).
bool read_hcl(std::string_view text, HclConfig& out, std::string& error);

}  // namespace tgsim
