#pragma once
/// Terragrunt's view of a module's neighbours: its `dependency` blocks (whose outputs it reads
/// before plan, apply and destroy) and the modules that declare it as their dependency.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "hcl_reader.h"

namespace tgsim {

namespace fs = std::filesystem;

/// One module's parsed configuration.
struct ModuleConfig {
  fs::path dir;   ///< absolute
  fs::path file;  ///< the terragrunt.hcl that was read
  HclConfig hcl;
};

/// Reads and parses file (normally <dir>/terragrunt.hcl). False with terragrunt's error text:
/// `Error reading file at path ...` or `<file>:LINE: message`.
bool load_module(const fs::path& dir, const fs::path& file, ModuleConfig& out, std::string& error);

/// A dependency path as written in the HCL, resolved against module_dir: literals,
/// and templates using only get_terragrunt_dir()/get_original_terragrunt_dir(). nullopt when it
/// is an expression the simulator cannot evaluate.
std::optional<fs::path> resolve_dependency_path(const fs::path& module_dir,
                                                const std::string& written);

/// How the dependency blocks of one command were resolved.
struct DependencyCheck {
  std::vector<std::string> warnings;  ///< terragrunt WARN lines (mock outputs used)
  std::string error;                  ///< terragrunt's error when a dependency has no outputs
};

/// Checks every dependency block as terragrunt does before running `command`: the directory
/// exists and its state has outputs, or mock_outputs are set and the command is allowed
/// (mock_outputs_allowed_terraform_commands unset, empty or listing it). v1 selects the
/// version-dependent documentation links of the error. False with result.error set.
bool check_dependency_outputs(const ModuleConfig& module, const std::string& command, bool v1,
                              DependencyCheck& result);

/// Modules below module_dir's parent whose terragrunt.hcl depends on module_dir (a dependency
/// block or dependencies.paths) and whose state still holds resources. Sorted.
std::vector<fs::path> applied_dependents(const fs::path& module_dir);

/// Like applied_dependents(), applied or not: what terragrunt lists before a destroy.
std::vector<fs::path> all_dependents(const fs::path& module_dir);

}  // namespace tgsim
