#pragma once
/// Starting one child process (the runner's only use of Boost.Process).
#include <filesystem>
#include <optional>
#include <string>

#include <sys/types.h>

#include "stackctl/manifest/manifest.h"
#include "stackctl/runner/runner.h"

namespace stackctl {

/// A started child: its pid (also its process group id) and the read ends of its stdout and
/// stderr pipes (non-blocking, close-on-exec). error is set instead when nothing was started.
struct Spawned {
  pid_t pid = -1;
  int out_fd = -1;
  int err_fd = -1;
  std::string error;  ///< e.g. "terragrunt: not found on PATH"
};

/// Starts spec.argv without a shell: in spec.cwd, with exactly spec.env, stdin from /dev/null,
/// stdout and stderr into two pipes, in a new process group of its own. Never throws; a child
/// that fails between fork and exec is reaped before this returns.
Spawned spawn_child(const ChildSpec& spec);

/// The file to execute for argv[0] = name. A name with a '/' is taken as is (relative to cwd);
/// otherwise it is looked up on the PATH of env, or stackctl's own PATH when env has none.
/// nullopt with error set ("NAME: not found on PATH", "PATH: not executable") when there is none.
std::optional<std::string> resolve_program(const std::string& name, const EnvVars& env,
                                           const std::filesystem::path& cwd, std::string& error);

}  // namespace stackctl
