#include "dependencies.h"

#include <algorithm>

#include "state.h"

namespace tgsim {
namespace {

bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

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

void scan(const fs::path& dir, int depth, const fs::path& target, std::vector<fs::path>& out) {
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
      if (load_state(entry.path(), state, error) && !state.resources.empty()) {
        out.push_back(entry.path());
      }
    }
    if (depth > 1) scan(entry.path(), depth - 1, target, out);
  }
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
  if (!stackctl::parse_hcl(text, out.hcl, parse_error)) {
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

bool check_dependency_outputs(const ModuleConfig& module, bool mocks_allowed, std::string& error) {
  for (const auto& dep : module.hcl.dependencies) {
    std::string where = module.file.string() + ":" + std::to_string(dep.line) + ": ";
    if (dep.config_path.empty()) {
      error = where + "Missing required argument: The argument \"config_path\" is required, but "
                      "no definition was found.";
      return false;
    }
    auto dir = resolve_dependency_path(module.dir, dep.config_path);
    if (!dir) {
      error = where + "cannot evaluate config_path of dependency \"" + dep.name +
              "\": " + dep.config_path;
      return false;
    }
    std::string dep_dir = dir->string();
    if (!dep_dir.empty() && dep_dir.back() == '/') dep_dir.pop_back();
    std::error_code ec;
    if (!fs::is_directory(*dir, ec)) {
      error = dep_dir + " does not exist";
      return false;
    }
    if (!fs::exists(*dir / "terragrunt.hcl", ec)) {
      error = (*dir / "terragrunt.hcl").string() + " does not exist";
      return false;
    }
    State state;
    std::string state_error;
    if (!load_state(*dir, state, state_error)) {
      error = state_error;
      return false;
    }
    if (!state.outputs.empty() || (dep.has_mock_outputs && mocks_allowed)) continue;
    error = dep_dir + " is a dependency of " + module.dir.string() +
            " but detected no outputs. Either the target module has not been applied yet, or "
            "the module has no outputs.";
    return false;
  }
  return true;
}

std::vector<fs::path> applied_dependents(const fs::path& module_dir) {
  std::vector<fs::path> out;
  scan(module_dir.parent_path(), 3, module_dir, out);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tgsim
