#pragma once
/// Terragrunt's view of a module's neighbours: its `dependency` blocks (whose outputs it reads
/// before plan, apply and destroy) and the modules that declare it as their dependency.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "stackctl/hcl.h"

namespace tgsim {

namespace fs = std::filesystem;

/// One module's parsed configuration.
struct ModuleConfig {
  fs::path dir;   ///< absolute
  fs::path file;  ///< the terragrunt.hcl that was read
  stackctl::HclModule hcl;
};

/// Reads and parses file (normally <dir>/terragrunt.hcl). False with terragrunt's error text:
/// `Error reading file at path ...` or `<file>:LINE: message`.
bool load_module(const fs::path& dir, const fs::path& file, ModuleConfig& out, std::string& error);

/// A dependency path as written in the HCL, resolved against module_dir: literals,
/// and templates using only get_terragrunt_dir()/get_original_terragrunt_dir(). nullopt when it
/// is an expression the simulator cannot evaluate.
std::optional<fs::path> resolve_dependency_path(const fs::path& module_dir,
                                                const std::string& written);

/// Checks every dependency block: the directory exists and its state has outputs, or mocks are
/// set and allowed (mocks_allowed: plan and validate). False with terragrunt's error text.
bool check_dependency_outputs(const ModuleConfig& module, bool mocks_allowed, std::string& error);

/// Modules below module_dir's parent whose terragrunt.hcl depends on module_dir (a dependency
/// block or dependencies.paths) and whose state still holds resources. Sorted.
std::vector<fs::path> applied_dependents(const fs::path& module_dir);

}  // namespace tgsim
