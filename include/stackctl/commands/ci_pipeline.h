#pragma once
/// `stackctl ci github|gitlab|matrix`: CI pipelines with one job per selected layer.
///
/// Every pipeline follows the same rules:
///   - terragrunt layers get a job that plans on a pull/merge request (when the layer or one it
///     depends on changed) and, on the default branch, applies exactly that reviewed plan
///     (`stackctl apply --env E --only L --plan-dir DIR --yes`), or plans again and waits for a
///     person when the plan is stale or missing;
///   - command layers run on the default branch only (their plan does nothing);
///   - manual layers become approval gates on the default branch (a GitHub `environment:` or a
///     GitLab `when: manual` job); plans pass through them;
///   - a job needs the nearest selected layers it depends on (through unselected ones);
///   - protected layers' jobs are marked; no pipeline ever runs destroy;
///   - secrets are referenced by name (needs_env of the layer, require_env of the env), never
///     written into the pipeline.
#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "stackctl/commands/context.h"
#include "stackctl/manifest/env.h"
#include "stackctl/manifest/graph.h"
#include "stackctl/plan/selection.h"

namespace stackctl {

/// The selected layers of one env and what the pipeline needs to know about them.
struct PipelineInput {
  const Stack& stack;
  const Graph& graph;
  const std::vector<PinReason>& pins;
  std::vector<std::size_t> selected;  ///< manifest positions, in manifest order
  std::set<std::string> confirmed;    ///< manual steps the journal records as confirmed
};

/// The terragrunt and OpenTofu versions a generated pipeline installs unless told otherwise:
/// the ones stackctl is tested against (.ci/real-tools.versions).
inline constexpr const char* kDefaultTerragruntVersion = "v1.1.3";
inline constexpr const char* kDefaultTofuVersion = "v1.12.6";

/// Settings of the generated pipeline (flags of `stackctl ci`).
struct PipelineOptions {
  std::string branch = "main";            ///< github: the default branch that applies
  std::string runs_on = "ubuntu-latest";  ///< github: runs-on of every job
  std::string image;                      ///< gitlab: image of every job (empty: the runner's)
  std::string working_directory;          ///< the project root relative to the repository
  std::vector<std::string> setup;         ///< shell commands run before stackctl in every job
  std::string stackctl_git;               ///< the repository stackctl is built from
  std::string stackctl_ref;               ///< its tag or branch (default: v<this version>)
  std::string terragrunt_version = kDefaultTerragruntVersion;
  std::string tofu_version = kDefaultTofuVersion;
  std::string generated_by;  ///< the command line, for the header comment
};

/// One job of the layer graph.
struct PipelineJob {
  std::size_t layer = 0;
  std::vector<std::size_t> needs;  ///< layers of the jobs this one waits for, in manifest order
};

/// The jobs of a pipeline: the selected layers whose kind is in kinds, each needing the nearest
/// such layers it depends on, transitively through every other layer.
std::vector<PipelineJob> pipeline_jobs(const PipelineInput& in,
                                       const std::vector<LayerKind>& kinds);

/// The variables a layer's job reads from the CI system's secrets: the env's require_env, then
/// the layer's needs_env, without repeats.
std::vector<std::string> secret_names(const Stack& stack, std::size_t layer);

/// The manual layers among the selected ones that are not confirmed yet: only they become jobs
/// that wait for a person.
bool pending_gate(const PipelineInput& in, std::size_t layer);

/// The shell script of the setup step: installs the Debian packages stackctl needs (and jq), builds
/// stackctl from $STACKCTL_GIT at $STACKCTL_REF, downloads terragrunt $TERRAGRUNT_VERSION and
/// OpenTofu $TOFU_VERSION (checksums verified) into $STACKCTL_TOOLS, each only when missing,
/// then puts them on the path through add_path (a shell line reading $bin).
std::string setup_script(const std::string& add_path);

/// The GitHub secret holding variable name: the name itself, or STACKCTL_<name> for names
/// GitHub reserves (GITHUB_*).
std::string github_secret_name(const std::string& variable);

/// A GitHub Actions workflow (YAML text).
std::string github_workflow(const PipelineInput& in, const PipelineOptions& options);

/// A .gitlab-ci.yml (YAML text).
std::string gitlab_pipeline(const PipelineInput& in, const PipelineOptions& options);

/// {"include": [{"layer", "needs", "tier", "protect", "kind"}]} for custom pipelines: the
/// selected terragrunt and command layers; protect is none, keep, data or pinned.
nlohmann::json ci_matrix(const PipelineInput& in);

/// What `stackctl ci FORMAT` was asked.
struct CiRequest {
  std::string format;  ///< github, gitlab or matrix
  std::string env;
  SelectionOptions selection;
  PipelineOptions options;
};

/// The command line a pipeline names as its origin (PipelineOptions::generated_by): stackctl's
/// own argv without the program's path, or `stackctl ci FORMAT --env ENV` when there is none.
std::string ci_command_line(const CiRequest& req, const std::vector<std::string>& argv);

/// What `stackctl ci` prints for format: the matrix as one line of JSON, or the GitHub workflow
/// or GitLab pipeline. Throws Error(Usage) for a workflow or pipeline of no layer, or one
/// without options.stackctl_git.
std::string ci_document(const std::string& format, const PipelineInput& in,
                        const PipelineOptions& options);

/// `stackctl ci`: resolves --changed, selects the layers (as for an apply), takes the confirmed
/// manual steps from the journal and prints ci_document.
int ci_command(const Context& ctx, const CiRequest& request);

}  // namespace stackctl
