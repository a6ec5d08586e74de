#pragma once
/// apply --skip-unchanged: every apply records a fingerprint of each terragrunt layer's inputs
/// in its layer_end record ("inputs"); with the flag, a layer whose inputs equal those of its last
/// successful apply in this env is skipped, with the reason ("inputs unchanged since run X at T").
///
/// The inputs of a layer: the files of its unit folder, the .hcl/.tfvars/.yaml/.json files of the
/// folders above it up to the project root (root.hcl, env.hcl, ...), the local module sources
/// its .hcl and .tf files name; the variables it is given (env.yaml and manifest `env`, and the
/// TF_VAR_*, TF_CLI_ARGS*, TG_*, TERRAGRUNT_*, AWS_PROFILE/AWS_REGION/AWS_DEFAULT_REGION variables
/// of its environment, terragrunt's extra args); the tools (terragrunt's version, the terragrunt
/// and tofu/terraform binaries); and per dependency its *generation*: the run that last applied
/// changes to it. A dependency applied with changes (in this run or any later one) therefore
/// changes the fingerprint of every layer that needs it. What happens outside stackctl (console
/// edits, another tool's apply) is not seen: that is what `drift` is for.
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "stackctl/executor/executor.h"
#include "stackctl/journal/journal.h"

namespace stackctl {

/// The parts of a layer's fingerprint, each a SHA-256 in hex (so secrets in variables stay
/// secret), and the generation of each dependency.
struct LayerInputs {
  std::string files;
  std::string variables;
  std::string tools;
  std::map<std::string, std::string> upstream;  ///< dependency name -> its generation
  bool operator==(const LayerInputs& o) const;
  /// The first part that differs from `before`, as a reason: "its files changed",
  /// "dependency vpc applied changes in run R" ...; empty when equal.
  std::string difference(const LayerInputs& before) const;
};

nlohmann::json to_json(const LayerInputs& inputs);
/// nullopt when j is not a LayerInputs object.
std::optional<LayerInputs> layer_inputs_from_json(const nlohmann::json& j);

/// SHA-256 over the unit folder (recursively; without .terraform, .terragrunt-cache, state and
/// plan files, the lock file and files terragrunt generated), the config files of the folders
/// above it up to stop_at (not env_file), and the local module sources named by `source = "..."`
/// in the .hcl and .tf files hashed (followed transitively). A source that cannot be resolved
/// (an interpolation) is hashed as its text.
std::string hash_unit_files(const std::filesystem::path& unit_dir,
                            const std::filesystem::path& stop_at,
                            const std::filesystem::path& env_file);

/// SHA-256 over the variables of a child environment that can change what terragrunt does:
/// every name in `given` (env.yaml and manifest env) and the prefixed names listed above.
std::string hash_variables(const EnvVars& child_env, const EnvVars& given,
                           const std::vector<std::string>& terragrunt_args);

/// What a layer's last apply or destroy in the journal was: the record that decides whether it
/// exists (the last apply that was not skipped, or destroy that ran). nullptr when none.
const JournalRecord* last_state_record(const JournalContents& journal, const std::string& layer);

/// Whether to skip a layer: the reason when its inputs equal those of the last successful
/// apply, else nullopt with why_not set ("never applied", "its files changed", ...).
std::optional<std::string> unchanged_since(const LayerInputs& now, const JournalRecord* last,
                                           std::string& why_not);

/// The fingerprints of one run: computes each layer's inputs before its apply, decides the
/// skips when asked, and follows the generations of the layers this run applies.
class InputsLedger : public RunObserver {
 public:
  /// tools: identity of the tools (see tools_identity()); skip: --skip-unchanged given.
  InputsLedger(const Stack& stack, JournalContents journal, std::string run_id,
               const std::string& tools, std::filesystem::path project_root, bool skip);
  /// Before a terragrunt layer's apply: its inputs into result.inputs; the reason to skip it
  /// when skipping is asked for and they are unchanged.
  std::optional<std::string> before_apply(std::size_t layer, const EnvVars& child_env,
                                          const std::vector<std::string>& terragrunt_args,
                                          nlohmann::json& inputs);
  /// At the end of an apply: adds the layer's generation to result.inputs (this run when it
  /// applied changes or may have, else the one it had).
  void after_apply(const LayerResult& result, nlohmann::json& inputs) const;
  void layer_finished(const LayerResult& result) override;

  /// The generation of a layer as it stands now ("" when it is not applied).
  std::string generation(std::size_t layer) const;

 private:
  std::string recorded_generation(const std::string& layer) const;
  const Stack& stack_;
  JournalContents journal_;
  std::string run_id_;
  std::string tools_;
  std::filesystem::path root_;
  bool skip_;
  std::map<std::string, std::string> now_;  ///< generations set by this run
};

/// The identity of the tools of a run: terragrunt's version and, for the terragrunt binary and
/// the tofu/terraform one (TG_TF_PATH / TERRAGRUNT_TFPATH in env, else tofu, else terraform on
/// its PATH), the resolved path, size and modification time.
std::string tools_identity(const std::string& terragrunt, const std::string& version,
                           const EnvVars& env);

}  // namespace stackctl
