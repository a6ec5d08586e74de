#pragma once
/// The answer of `terragrunt --version`, kept in the env's state folder for as long as the binary
/// it came from is the same file, so that a command does not start terragrunt once more just to
/// ask it.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "stackctl/runner/runner.h"
#include "stackctl/runner/terragrunt.h"

namespace stackctl {

/// What tells one terragrunt binary from another: the file it resolves to and what stat says of
/// it. Replacing, rewriting or touching the binary changes at least one of them (ctime changes on
/// every write and every metadata change, and cannot be set back).
struct BinaryIdentity {
  std::string path;  ///< the resolved program, links followed
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t mtime_ns = 0, ctime_ns = 0;

  bool operator==(const BinaryIdentity& o) const;
};

/// The identity of the program `binary` names (looked up on env's PATH as the runner does,
/// relative to cwd), or nullopt when it cannot be cached: not found, not a regular file, a path
/// with a newline, or a script (`#!`: a version manager's shim picks its terragrunt per folder or
/// per variable, so the same file may answer differently).
std::optional<BinaryIdentity> identify_binary(const std::string& binary, const EnvVars& env,
                                              const std::filesystem::path& cwd);

/// The version cached in `file` for `id`, or nullopt: no file, another binary, or a file that is
/// not a regular file (a symbolic link, a FIFO) or does not read as a cache. Never throws.
std::optional<TerragruntVersion> read_cached_version(const std::filesystem::path& file,
                                                     const BinaryIdentity& id);

/// Writes `file` (mode 0600) saying that `id` is version `v`: a temporary file beside it, renamed
/// over it. Best effort: a folder that does not exist, or any failure, leaves things as they were
/// and returns false. Never throws.
bool write_cached_version(const std::filesystem::path& file, const BinaryIdentity& id,
                          const TerragruntVersion& v);

}  // namespace stackctl
