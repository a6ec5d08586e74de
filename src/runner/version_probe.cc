#include "stackctl/runner/version_probe.h"

#include <spdlog/spdlog.h>

#include "stackctl/runner/version_cache.h"
#include "stackctl/util/error.h"

namespace stackctl {

TerragruntVersion probe_terragrunt_version(ProcessRunner& runner, const std::string& binary,
                                           const std::filesystem::path& cwd, const EnvVars& env,
                                           const std::filesystem::path& env_file,
                                           const std::filesystem::path& cache_file) {
  std::optional<BinaryIdentity> id;
  if (!cache_file.empty()) id = identify_binary(binary, env, cwd);
  if (id) {
    if (auto cached = read_cached_version(cache_file, *id)) return *cached;
  }
  ChildSpec spec;
  spec.argv = {binary, "--version"};
  spec.cwd = cwd;
  spec.env = env;
  spec.capture_stdout = true;
  ChildResult r = run_to_completion(runner, spec);
  // Ctrl-C while terragrunt says its version: the command stops here; nothing else starts.
  if (r.interrupt != 0)
    throw Error(ExitCode::Interrupted, "interrupted (" + signal_name(r.interrupt) + ") during '" + binary +
                                           " --version'; nothing was started");
  if (!r.spawn_error.empty())
    throw Error(ExitCode::ChildFailed,
                "cannot run terragrunt '" + binary + "': " + r.spawn_error +
                    "\nset it with --terragrunt PATH, STACKCTL_TERRAGRUNT or terragrunt.binary in " +
                    env_file.string());
  auto v = parse_terragrunt_version(r.stdout_data + "\n" + r.tail);
  if (v) {
    // Only when the binary is still the file it was before it answered.
    if (id && identify_binary(binary, env, cwd) == id) write_cached_version(cache_file, *id, *v);
    return *v;
  }
  spdlog::warn("could not read the version from '{} --version' ({}); assuming 0.73 or later", binary,
               r.describe());
  return TerragruntVersion{0, 73, 0};
}

}  // namespace stackctl
