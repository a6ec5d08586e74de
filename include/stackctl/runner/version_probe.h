#pragma once
/// `terragrunt --version`, run once per command to pick the dialect (the non-interactive
/// variable, TF_INPUT, the variables that spare planned work).
#include <filesystem>
#include <string>

#include "stackctl/runner/runner.h"
#include "stackctl/runner/terragrunt.h"

namespace stackctl {

/// The version cache's file in an env's state folder.
inline constexpr const char* kVersionCacheFile = "terragrunt-version";

/// Runs `binary --version` in cwd with env and reads the version it prints. An interrupt meanwhile
/// throws Error(Interrupted) `interrupted (SIGINT) during 'B --version'; nothing was started`: no
/// other child may start after it. A binary that cannot run throws Error(ChildFailed) naming where
/// to set it (env_file's terragrunt.binary); an unreadable version is a warning and 0.73 is assumed.
/// With a cache_file (the env state folder's `terragrunt-version`), a version read there for the
/// same binary file (version_cache.h) is the answer and nothing starts; a version read from the
/// binary is written there for the next command.
TerragruntVersion probe_terragrunt_version(ProcessRunner& runner, const std::string& binary,
                                           const std::filesystem::path& cwd, const EnvVars& env,
                                           const std::filesystem::path& env_file,
                                           const std::filesystem::path& cache_file = {});

}  // namespace stackctl
