#include "dependencies.h"

#include <algorithm>

#include "state.h"

namespace tgsim {
namespace {

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

/// `local.x`, `dependency.a.outputs`, `find_in_parent_folders("vpc")`: an identifier followed by
/// '.' or '('.
bool looks_like_expression(const std::string& s) {
  if (s.empty() || !is_ident_start(s[0])) return false;
  std::size_t i = 1;
  while (i < s.size() && (is_ident_start(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '-')) ++i;
  return i < s.size() && (s[i] == '.' || s[i] == '(');
}

std::optional<std::string> evaluate_template(const std::string& quoted, const fs::path& dir) {
  std::string s = quoted.substr(1, quoted.size() - 2);
  for (const char* fn : {"${get_terragrunt_dir()}", "${get_original_terragrunt_dir()}"}) {
    std::string needle = fn;
    for (auto pos = s.find(needle); pos != std::string::npos; pos = s.find(needle)) {
      s.replace(pos, needle.size(), dir.string());
    }
  }
  if (s.find("${") != std::string::npos || s.find("%{") != std::string::npos) return std::nullopt;
  return s;
}

bool same_dir(const fs::path& a, const fs::path& b) {
  std::error_code ec1, ec2;
  return fs::weakly_canonical(a, ec1) == fs::weakly_canonical(b, ec2);
}

bool depends_on(const ModuleConfig& candidate, const fs::path& target) {
  std::vector<std::string> written = candidate.hcl.dependency_paths;
  for (const auto& d : candidate.hcl.dependencies) written.push_back(d.config_path);
  return std::any_of(written.begin(), written.end(), [&](const std::string& w) {
    auto p = resolve_dependency_path(candidate.dir, w);
    return p && same_dir(*p, target);
  });
}

void scan(const fs::path& dir, int depth, const fs::path& target, bool only_applied,
          std::vector<fs::path>& out) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_directory(ec) || name.empty() || name[0] == '.') continue;
    ModuleConfig m;
    std::string error;
    fs::path hcl = entry.path() / "terragrunt.hcl";
    if (!same_dir(entry.path(), target) && fs::exists(hcl, ec) &&
        load_module(entry.path(), hcl, m, error) && depends_on(m, target)) {
      State state;
      if (!only_applied || (load_state(entry.path(), state, error) && !state.resources.empty())) {
        out.push_back(entry.path());
      }
    }
    if (depth > 1) scan(entry.path(), depth - 1, target, only_applied, out);
  }
}

bool mocks_allowed(const HclDependency& dep, const std::string& command) {
  const auto& allowed = dep.mock_allowed_commands;
  return !allowed || allowed->empty() ||
         std::find(allowed->begin(), allowed->end(), command) != allowed->end();
}

/// config_path as terragrunt evaluates it (the string, before it is made absolute).
std::string written_path(const fs::path& module_dir, const std::string& written) {
  if (written.size() >= 2 && written.front() == '"' && written.back() == '"') {
    return evaluate_template(written, module_dir).value_or(written);
  }
  return written;
}

/// pkg/config/errors.go, TerragruntOutputTargetNoOutputs; the links moved to docs.terragrunt.com
/// in v1.0.0.
std::string no_outputs_error(const HclDependency& dep, const std::string& path,
                             const std::string& target_config, const std::string& current_config,
                             bool v1) {
  std::string site = v1 ? "https://docs.terragrunt.com/" : "https://terragrunt.gruntwork.io/docs/";
  return target_config + " is a dependency of " + current_config +
         " but detected no outputs. Either the target module has not been applied yet, or the "
         "module has no outputs.\n\nIf this dependency is accessed before the outputs are ready "
         "(which can happen during the planning phase of an unapplied stack), consider using "
         "mock_outputs:\n\ndependency \"" +
         dep.name + "\" {\n    config_path = \"" + path + "\"\n\n    mock_outputs = {\n        " +
         dep.name + "_output = \"mock-" + dep.name +
         "-output\"\n    }\n}\n\nFor more info, see:\n" + site +
         "features/stacks/#unapplied-dependency-and-mock-outputs\n\nIf you do not require outputs "
         "from your dependency, consider using the dependencies block instead:\n" +
         site + "reference/config-blocks-and-attributes/#dependencies\n";
}

}  // namespace

bool load_module(const fs::path& dir, const fs::path& file, ModuleConfig& out, std::string& error) {
  out = ModuleConfig{};
  out.dir = dir;
  out.file = file;
  std::string text;
  if (!read_file(file, text)) {
    error = "Error reading file at path " + file.string() + ": open " + file.string() +
            ": no such file or directory";
    return false;
  }
  std::string parse_error;
  if (!read_hcl(text, out.hcl, parse_error)) {
    error = file.string() + ":" + parse_error;
    return false;
  }
  return true;
}

std::optional<fs::path> resolve_dependency_path(const fs::path& module_dir,
                                                const std::string& written) {
  std::string path = written;
  if (path.size() >= 2 && path.front() == '"' && path.back() == '"') {
    auto evaluated = evaluate_template(path, module_dir);
    if (!evaluated) return std::nullopt;
    path = *evaluated;
  } else if (looks_like_expression(path) || path.find("${") != std::string::npos) {
    return std::nullopt;
  }
  if (path.empty()) return std::nullopt;
  fs::path p(path);
  return (p.is_absolute() ? p : module_dir / p).lexically_normal();
}

bool check_dependency_outputs(const ModuleConfig& module, const std::string& command, bool v1,
                              DependencyCheck& result) {
  for (const auto& dep : module.hcl.dependencies) {
    std::string where = module.file.string() + ":" + std::to_string(dep.line) + ": ";
    if (dep.config_path.empty()) {
      result.error = where +
                     "Missing required argument: The argument \"config_path\" is "
                     "required, but no definition was found.";
      return false;
    }
    auto dir = resolve_dependency_path(module.dir, dep.config_path);
    if (!dir) {
      result.error = where + "cannot evaluate config_path of dependency \"" + dep.name +
                     "\": " + dep.config_path;
      return false;
    }
    std::error_code ec;
    fs::path target = fs::is_directory(*dir, ec) ? *dir / "terragrunt.hcl" : *dir;
    std::string target_config = target.lexically_normal().string();
    if (!target_config.empty() && target_config.back() == '/') target_config.pop_back();
    if (!fs::exists(target, ec)) {
      result.error = target_config + " does not exist";
      return false;
    }
    if (dep.skip_outputs) continue;
    State state;
    if (!load_state(target.parent_path(), state, result.error)) return false;
    if (!state.outputs.empty()) continue;
    if (dep.has_mock_outputs && mocks_allowed(dep, command)) {
      result.warnings.push_back("Config " + target_config + " is a dependency of " +
                                module.file.string() +
                                " that has no outputs, but mock outputs provided and returning "
                                "those in dependency output.");
      continue;
    }
    result.error = no_outputs_error(dep, written_path(module.dir, dep.config_path), target_config,
                                    module.file.string(), v1);
    return false;
  }
  return true;
}

std::vector<fs::path> applied_dependents(const fs::path& module_dir) {
  std::vector<fs::path> out;
  scan(module_dir.parent_path(), 3, module_dir, true, out);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> all_dependents(const fs::path& module_dir) {
  std::vector<fs::path> out;
  scan(module_dir.parent_path(), 3, module_dir, false, out);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tgsim
