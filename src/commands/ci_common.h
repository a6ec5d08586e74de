#pragma once
// Pieces shared by the GitHub and GitLab pipeline writers.
#include <string>
#include <utility>
#include <vector>

#include "stackctl/commands/ci_pipeline.h"

namespace stackctl::ci {

/// none, keep, data or pinned.
std::string protection(const PipelineInput& in, std::size_t layer);
/// The comment lines that mark a protected or pinned layer's job; empty for the others (and for
/// manual steps, which have nothing to destroy).
std::vector<std::string> protection_comment(const PipelineInput& in, std::size_t layer);
/// s as one POSIX shell word: as is when it holds only safe characters, else single-quoted.
std::string shell_word(const std::string& s);
/// `stackctl plan --env E --only L` / `stackctl apply --env E --only L --yes`.
std::string stackctl_command(const PipelineInput& in, const std::string& action, std::size_t layer);
/// The pipeline variables naming what the setup installs: STACKCTL_GIT, STACKCTL_REF (default
/// v<this version>), TERRAGRUNT_VERSION and TOFU_VERSION, in that order.
std::vector<std::pair<std::string, std::string>> tool_versions(const PipelineOptions& options);
/// The shell lines that apply the reviewed plan of layer from reviewed/<layer>; they fall through
/// (with $code set) only when that plan is stale or was not saved, so that it is planned again.
std::string apply_reviewed(const PipelineInput& in, std::size_t layer);
/// The comment at the top of a generated pipeline.
std::vector<std::string> header(const PipelineOptions& options, const PipelineInput& in);

}  // namespace stackctl::ci
