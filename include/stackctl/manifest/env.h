#pragma once
/// An environment (docs/contract.md, An environment): envs/<env>/env.yaml and the stack it makes of
/// the manifest.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stackctl/manifest/manifest.h"
#include "stackctl/util/diagnostics.h"

namespace stackctl {

/// env.yaml `retry:` (docs/reliability.md): retries of a layer step that failed with a known
/// transient error. Off unless the env sets it.
struct RetrySettings {
  int attempts = 1;                   ///< tries of one step in all; 1 = no retry
  double sleep_s = 5;                 ///< seconds between two tries
  std::vector<std::string> patterns;  ///< regular expressions; empty = terragrunt's default list
};

/// env.yaml as written, with the line of each named entry for error messages.
struct EnvConfig {
  std::string name;
  std::filesystem::path file;    ///< envs/<env>/env.yaml
  std::filesystem::path folder;  ///< envs/<env>
  std::string dir = ".";         ///< the env's terragrunt tree, relative to folder
  bool enable_all = false;
  std::vector<std::string> enable;
  std::vector<std::string> disable;
  EnvVars env;
  std::vector<std::string> require_env;
  std::map<std::string, Protect> protect;
  bool confirm = false;
  std::optional<int> parallelism;
  RetrySettings retry;
  std::optional<int> keep_runs;   ///< run folders kept after each run (run_folders.h)
  std::string terragrunt_binary;  ///< empty: not set in the file
  std::vector<std::string> terragrunt_args;
  std::string module_source;  ///< scaffold template, e.g. "git::https://x//modules/{module}?ref=v1"
  std::map<std::string, int> lines;  ///< "enable:NAME", "disable:NAME", "protect:NAME", key -> line
};

/// Parses env.yaml text; problems go to diags as `FILE:LINE: message`.
EnvConfig parse_env(std::string_view text, const std::string& file, Diagnostics& diags);

/// Loads envs_dir/<name>/env.yaml. An unknown env name is a diagnostic that lists the envs found.
EnvConfig load_env(const std::filesystem::path& envs_dir, const std::string& name,
                   Diagnostics& diags);

/// Names of the folders under envs_dir that hold an env.yaml, sorted.
std::vector<std::string> list_envs(const std::filesystem::path& envs_dir);

/// A manifest seen through one env: what is enabled, effective protection, where each layer runs.
struct Stack {
  const Manifest* manifest = nullptr;
  EnvConfig env;
  std::filesystem::path tree;               ///< absolute, canonical env terragrunt tree
  std::vector<bool> enabled;                ///< per manifest layer
  std::vector<Protect> protect;             ///< per layer, env overrides applied
  std::vector<std::filesystem::path> dirs;  ///< per layer, absolute folder (inside tree)

  std::size_t size() const { return enabled.size(); }
  const Layer& layer(std::size_t i) const { return manifest->layers[i]; }
};

/// Combines manifest and env and checks them together: enable/disable/protect names exist,
/// disabling a layer an enabled one needs (error naming both), enabling an optional layer whose
/// dependency is disabled, layer paths confined to the tree after resolving `..` and symlinks.
Stack resolve_stack(const Manifest& manifest, const EnvConfig& env, Diagnostics& diags);

}  // namespace stackctl
