#pragma once
/// `terragrunt --version`, run once per command to pick the dialect (the non-interactive
/// variable, TF_INPUT, the variables that spare planned work).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "stackctl/runner/runner.h"
#include "stackctl/runner/terragrunt.h"

namespace stackctl {

/// The version cache's file in an env's state folder.
inline constexpr const char* kVersionCacheFile = "terragrunt-version";
/// The same for the OpenTofu binary terragrunt runs (probe_plan_stream).
inline constexpr const char* kTofuVersionCacheFile = "tofu-version";

/// Runs `binary --version` in cwd with env and reads the version it prints. An interrupt meanwhile
/// throws Error(Interrupted) `interrupted (SIGINT) during 'B --version'; nothing was started`: no
/// other child may start after it. A binary that cannot run throws Error(ChildFailed) naming where
/// to set it (env_file's terragrunt.binary); an unreadable version is a warning and 0.73 is
/// assumed. With a cache_file (the env state folder's `terragrunt-version`), a version read there
/// for the same binary file (version_cache.h) is the answer and nothing starts; a version read from
/// the binary is written there for the next command.
TerragruntVersion probe_terragrunt_version(ProcessRunner& runner, const std::string& binary,
                                           const std::filesystem::path& cwd, const EnvVars& env,
                                           const std::filesystem::path& env_file,
                                           const std::filesystem::path& cache_file = {});

/// Whether the terraform binary terragrunt will run is OpenTofu 1.12 or later, whose plan writes
/// its UI stream with `-json-into=FILE`: runs `BIN version` in cwd, BIN being env's TG_TF_PATH,
/// else TERRAGRUNT_TFPATH, else `tofu` when env's PATH has one (terragrunt's own default), and
/// reads its line `OpenTofu vX.Y.Z`. False when there is no such binary, it cannot run, or
/// it says anything else (Terraform, an older OpenTofu). An interrupt meanwhile throws as
/// probe_terragrunt_version does.
/// With cache_file (kTofuVersionCacheFile in the env's state folder), an OpenTofu version
/// answered before by the same binary file is taken from there (version_cache.h).
bool probe_plan_stream(ProcessRunner& runner, const std::filesystem::path& cwd, const EnvVars& env,
                       const std::filesystem::path& cache_file = {});

/// The version in `tofu version`'s line `OpenTofu vX.Y[.Z]`; nullopt for anything else.
std::optional<TerragruntVersion> opentofu_version(std::string_view version_output);

/// True when `version`'s output starts with `OpenTofu vX.Y` with X.Y at least 1.12.
bool opentofu_streams_plans(std::string_view version_output);

}  // namespace stackctl
