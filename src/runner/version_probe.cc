#include "stackctl/runner/version_probe.h"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include "stackctl/runner/version_cache.h"
#include "stackctl/util/error.h"

namespace stackctl {

namespace {
// Runs a tool's version command to its end. Ctrl-C meanwhile stops the command there: nothing
// else starts.
// argv: the binary and its one argument.
ChildResult ask_version(ProcessRunner& runner, std::vector<std::string> argv,
                        const std::filesystem::path& cwd, const EnvVars& env) {
  ChildSpec spec;
  spec.argv = std::move(argv);
  spec.cwd = cwd;
  spec.env = env;
  spec.capture_stdout = true;
  ChildResult r = run_to_completion(runner, spec);
  if (r.interrupt != 0)
    throw Error(ExitCode::Interrupted, "interrupted (" + signal_name(r.interrupt) + ") during '" +
                                           spec.argv[0] + " " + spec.argv[1] +
                                           "'; nothing was started");
  return r;
}
}  // namespace

TerragruntVersion probe_terragrunt_version(ProcessRunner& runner, const std::string& binary,
                                           const std::filesystem::path& cwd, const EnvVars& env,
                                           const std::filesystem::path& env_file,
                                           const std::filesystem::path& cache_file) {
  std::optional<BinaryIdentity> id;
  if (!cache_file.empty()) id = identify_binary(binary, env, cwd);
  if (id) {
    if (auto cached = read_cached_version(cache_file, *id)) return *cached;
  }
  ChildResult r = ask_version(runner, {binary, "--version"}, cwd, env);
  if (!r.spawn_error.empty())
    throw Error(
        ExitCode::ChildFailed,
        "cannot run terragrunt '" + binary + "': " + r.spawn_error +
            "\nset it with --terragrunt PATH, STACKCTL_TERRAGRUNT or terragrunt.binary in " +
            env_file.string());
  auto v = parse_terragrunt_version(r.stdout_data + "\n" + r.tail);
  if (v) {
    // Only when the binary is still the file it was before it answered.
    if (id && identify_binary(binary, env, cwd) == id) write_cached_version(cache_file, *id, *v);
    return *v;
  }
  spdlog::warn("could not read the version from '{} --version' ({}); assuming 0.73 or later",
               binary, r.describe());
  return TerragruntVersion{0, 73, 0};
}

namespace {
std::string env_value(const EnvVars& env, const std::string& name) {
  for (const auto& [k, v] : env)
    if (k == name) return v;
  return "";
}

// terragrunt's default terraform: `tofu` found on PATH.
std::string tofu_on_path(const std::string& path) {
  for (std::size_t at = 0; at <= path.size();) {
    std::size_t end = path.find(':', at);
    if (end == std::string::npos) end = path.size();
    const std::string dir = path.substr(at, end - at);
    at = end + 1;
    if (dir.empty()) continue;
    std::string candidate = dir + "/tofu";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}
}  // namespace

std::optional<TerragruntVersion> opentofu_version(std::string_view version_output) {
  constexpr std::string_view mark = "OpenTofu v";
  const std::size_t at = version_output.find(mark);
  if (at == std::string_view::npos || (at > 0 && version_output[at - 1] != '\n'))
    return std::nullopt;
  TerragruntVersion v;
  std::size_t pos = at + mark.size();
  auto number = [&](int& n) {
    const std::size_t from = pos;
    while (pos < version_output.size() && version_output[pos] >= '0' &&
           version_output[pos] <= '9' && n < 100000)
      n = n * 10 + (version_output[pos++] - '0');
    return pos > from;
  };
  if (!number(v.major) || pos >= version_output.size() || version_output[pos++] != '.' ||
      !number(v.minor))
    return std::nullopt;
  if (pos < version_output.size() && version_output[pos] == '.') {
    ++pos;
    number(v.patch);
  }
  return v;
}

bool opentofu_streams_plans(std::string_view version_output) {
  const auto v = opentofu_version(version_output);
  return v && v->at_least(1, 12);
}

bool probe_plan_stream(ProcessRunner& runner, const std::filesystem::path& cwd, const EnvVars& env,
                       const std::filesystem::path& cache_file) {
  std::string binary = env_value(env, "TG_TF_PATH");
  if (binary.empty()) binary = env_value(env, "TERRAGRUNT_TFPATH");
  if (binary.empty()) binary = tofu_on_path(env_value(env, "PATH"));
  if (binary.empty()) return false;
  // Kept as the terragrunt version is (version_cache.h): only OpenTofu's answer, for this file.
  std::optional<BinaryIdentity> id;
  if (!cache_file.empty()) id = identify_binary(binary, env, cwd);
  if (id)
    if (auto cached = read_cached_version(cache_file, *id)) return cached->at_least(1, 12);
  ChildResult r = ask_version(runner, {binary, "version"}, cwd, env);
  const auto v = r.ok() ? opentofu_version(r.stdout_data) : std::nullopt;
  if (!v) return false;
  if (id && identify_binary(binary, env, cwd) == id) write_cached_version(cache_file, *id, *v);
  return v->at_least(1, 12);
}

}  // namespace stackctl
