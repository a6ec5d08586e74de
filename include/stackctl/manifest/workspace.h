#pragma once
/// Where things are (project root, envs, state) and the loaded manifest + env + graph of a command.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stackctl/manifest/env.h"
#include "stackctl/manifest/graph.h"
#include "stackctl/manifest/manifest.h"

namespace stackctl {

/// Global options that locate inputs (docs/contract.md, Global options).
struct Locations {
  std::string manifest;   ///< --manifest FILE; empty: walk up from the working directory
  std::string envs_dir;   ///< --envs-dir DIR; empty: <root>/envs
  std::string state_dir;  ///< --state-dir DIR; empty: <root>/.stackctl
};

/// A loaded manifest and, once an env is chosen, the stack and graph of that env.
/// Owns everything so the views (Stack::manifest, Graph) stay valid.
class Workspace {
 public:
  /// Finds and loads the manifest. Throws Error(Invalid) listing every diagnostic, or
  /// Error(Usage) when no manifest can be found. Warnings are kept in warnings().
  static std::unique_ptr<Workspace> open(const Locations& where);

  const Manifest& manifest() const { return manifest_; }
  const Graph& graph() const { return *graph_; }
  const std::filesystem::path& root() const { return root_; }
  const std::filesystem::path& envs_dir() const { return envs_dir_; }
  std::vector<std::string> warnings() const { return warnings_; }

  /// Loads envs/<name>/env.yaml and resolves the stack. Throws Error(Usage) for an unknown
  /// env name, Error(Invalid) with every diagnostic for a bad env.
  void select_env(const std::string& name);
  bool has_env() const { return stack_.has_value(); }
  const Stack& stack() const { return *stack_; }
  /// Pin reasons per layer for the selected env.
  const std::vector<PinReason>& pins() const { return pins_; }
  /// .stackctl/<env>/ (or --state-dir/<env>/).
  std::filesystem::path env_state_dir() const;
  /// The journal file of the selected env.
  std::filesystem::path journal_file() const { return env_state_dir() / "journal.jsonl"; }
  /// The lock file of the selected env.
  std::filesystem::path lock_file() const { return env_state_dir() / "lock"; }

 private:
  Workspace() = default;
  Manifest manifest_;
  std::unique_ptr<Graph> graph_;
  std::filesystem::path root_, envs_dir_, state_root_;
  std::optional<Stack> stack_;
  std::vector<PinReason> pins_;
  std::vector<std::string> warnings_;
};

}  // namespace stackctl
