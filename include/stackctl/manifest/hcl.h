#pragma once
/// A small HCL reader for terragrunt.hcl files: enough to find dependency edges and flags.
/// Comments (#, //, /* */), heredocs, strings with braces and nested blocks are handled by a
/// tokenizer, never by regular expressions.
#include <string>
#include <string_view>
#include <vector>

namespace stackctl {

/// What stackctl and terragrunt-sim need from one terragrunt.hcl.
struct HclModule {
  struct Dependency {
    std::string name;         ///< the block label: dependency "vpc" { ... }
    std::string config_path;  ///< as written (usually "../vpc")
    bool has_mock_outputs = false;
    int line = 0;
  };
  std::vector<Dependency> dependencies;       ///< dependency blocks, in file order
  std::vector<std::string> dependency_paths;  ///< dependencies { paths = [...] }
  bool prevent_destroy = false;               ///< top-level prevent_destroy = true
  std::string terraform_source;               ///< terraform { source = "..." }
  bool has_include = false;                   ///< any include block
};

/// Parses HCL text. On a syntax error (unterminated string/heredoc/block) returns false and sets
/// error to `LINE: message`; what was read before the error is kept.
bool parse_hcl(std::string_view text, HclModule& out, std::string& error);

}  // namespace stackctl
