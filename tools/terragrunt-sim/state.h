#pragma once
/// The simulated infrastructure of one module: `.terragrunt-sim/state.json` (what exists) and
/// the optional `sim.json` (what the configuration asks for).
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tgsim {

namespace fs = std::filesystem;

/// One managed (or data) resource in the state.
struct Resource {
  std::string address;
  std::string id;
  nlohmann::json attributes = nlohmann::json::object();
};

/// What terraform's state would hold. serial and lineage fingerprint it for stale-plan checks.
struct State {
  int serial = 0;
  std::string lineage;
  std::vector<Resource> resources;
  nlohmann::json outputs = nlohmann::json::object();  ///< name -> value
  std::vector<std::string> sensitive_outputs;

  /// The resource at address, or nullptr.
  const Resource* find(const std::string& address) const;
  /// No resources and no outputs.
  bool empty() const { return resources.empty() && outputs.empty(); }
};

/// The configuration's wishes: resources (address -> attributes), outputs, and the addresses
/// that plan as replaced or updated whenever they exist.
struct Desired {
  std::vector<std::pair<std::string, nlohmann::json>> resources;
  nlohmann::json outputs = nlohmann::json::object();
  std::vector<std::string> sensitive_outputs;
  std::vector<std::string> replace;
  std::vector<std::string> update;
  std::vector<std::pair<std::string, std::string>> imports;  ///< address -> id to import
  std::vector<std::pair<std::string, std::string>> moved;    ///< from -> to
  std::vector<std::string> forget;          ///< removed from state, not destroyed: ["forget"]
  std::vector<std::string> forget_replace;  ///< replaced, the old object kept: ["forget","create"]
};

/// `<module>/.terragrunt-sim`.
fs::path sim_dir(const fs::path& module_dir);

/// Loads the module's state; a missing file is an empty state. False with error on bad JSON.
bool load_state(const fs::path& module_dir, State& state, std::string& error);

/// Writes the state atomically (temporary file + rename).
bool save_state(const fs::path& module_dir, const State& state, std::string& error);

/// Loads `sim.json`, or the default (one `null_resource.<dir name>`, output `id`).
bool load_desired(const fs::path& module_dir, Desired& desired, std::string& error);

/// Reads a whole file; false when it cannot be read.
bool read_file(const fs::path& path, std::string& out);

/// Writes a whole file through a temporary file and a rename.
bool write_file_atomic(const fs::path& path, const std::string& content, std::string& error);

}  // namespace tgsim
