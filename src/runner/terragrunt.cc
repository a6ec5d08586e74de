#include "stackctl/runner/terragrunt.h"

#include <cctype>
#include <cstddef>
#include <unordered_map>
#include <utility>

#include <unistd.h>  // environ

namespace stackctl {

namespace fs = std::filesystem;

const char* to_string(Action a) {
  switch (a) {
    case Action::Plan:
      return "plan";
    case Action::Show:
      return "show";
    case Action::Apply:
      return "apply";
    case Action::Destroy:
      return "destroy";
    case Action::Output:
      return "output";
    case Action::Command:
      return "command";
    case Action::Gate:
      return "gate";
  }
  return "unknown";
}

const char* TerragruntVersion::non_interactive_var() const {
  return at_least(0, 73) ? "TG_NON_INTERACTIVE" : "TERRAGRUNT_NON_INTERACTIVE";
}

bool TerragruntVersion::wants_tf_input() const { return !at_least(0, 76); }

namespace {

// Reads a decimal number of at most 9 digits at s[pos]; advances pos. nullopt when none.
std::optional<int> read_number(std::string_view s, std::size_t& pos) {
  std::size_t start = pos;
  int value = 0;
  while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])) && pos - start < 9) {
    value = value * 10 + (s[pos] - '0');
    ++pos;
  }
  if (pos == start) return std::nullopt;
  if (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) return std::nullopt;
  return value;
}

// Parses `[v]X.Y.Z` at s[pos]; anything may follow the patch number (`-beta`, a newline).
std::optional<TerragruntVersion> parse_triple(std::string_view s, std::size_t pos) {
  if (pos < s.size() && s[pos] == 'v') ++pos;
  TerragruntVersion v;
  int* parts[] = {&v.major, &v.minor, &v.patch};
  for (std::size_t i = 0; i < 3; ++i) {
    if (i > 0) {
      if (pos >= s.size() || s[pos] != '.') return std::nullopt;
      ++pos;
    }
    auto n = read_number(s, pos);
    if (!n) return std::nullopt;
    *parts[i] = *n;
  }
  return v;
}

}  // namespace

// Looks for `terragrunt version [v]X.Y.Z` anywhere in the output, so log prefixes
// (`12:00:00.000 INFO ...`) and warning lines around it do not matter.
std::optional<TerragruntVersion> parse_terragrunt_version(std::string_view output) {
  constexpr std::string_view marker = "terragrunt version";
  for (std::size_t at = output.find(marker); at != std::string_view::npos;
       at = output.find(marker, at + 1)) {
    std::size_t pos = at + marker.size();
    if (pos >= output.size() || (output[pos] != ' ' && output[pos] != '\t')) continue;
    while (pos < output.size() && (output[pos] == ' ' || output[pos] == '\t')) ++pos;
    if (auto v = parse_triple(output, pos)) return v;
  }
  return std::nullopt;
}

std::vector<std::string> terragrunt_argv(const TerragruntCall& call, Action action,
                                         const fs::path& plan_file) {
  if (action == Action::Command || action == Action::Gate) return {};
  std::error_code ec;
  const fs::path abs_plan =
      plan_file.empty() || plan_file.is_absolute() ? plan_file : fs::absolute(plan_file, ec);
  const std::string lock = "-lock-timeout=" + call.lock_timeout;

  std::vector<std::string> argv{call.binary};
  argv.insert(argv.end(), call.extra_args.begin(), call.extra_args.end());
  switch (action) {
    case Action::Plan:
      argv.insert(argv.end(), {"plan", "-input=false", lock, "-detailed-exitcode",
                               "-out=" + abs_plan.string()});
      break;
    case Action::Show:  // without a plan file: the state
      argv.insert(argv.end(), {"show", "-json"});
      if (!abs_plan.empty()) argv.push_back(abs_plan.string());
      break;
    case Action::Apply:
      argv.insert(argv.end(), {"apply", "-input=false", lock, abs_plan.string()});
      break;
    case Action::Destroy:
      argv.insert(argv.end(), {"destroy", "-input=false", "-auto-approve", lock});
      break;
    case Action::Output:
      argv.insert(argv.end(), {"output", "-json"});
      break;
    case Action::Command:
    case Action::Gate:
      break;
  }
  return argv;
}

namespace {

// Ordered variables where setting a name again replaces its value in place.
class EnvBuilder {
 public:
  void set(const std::string& name, const std::string& value) {
    if (name.empty() || name.find('=') != std::string::npos) return;  // not passable to execve
    auto [it, inserted] = index_.emplace(name, vars_.size());
    if (inserted)
      vars_.emplace_back(name, value);
    else
      vars_[it->second].second = value;
  }
  void set_all(const EnvVars& vars) {
    for (const auto& [name, value] : vars) set(name, value);
  }
  EnvVars take() { return std::move(vars_); }

 private:
  EnvVars vars_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace

EnvVars child_environment(const EnvVars& base, const TerragruntVersion& version,
                          const EnvVars& env_vars, const EnvVars& layer_vars) {
  EnvBuilder env;
  env.set_all(base);
  env.set("TF_IN_AUTOMATION", "1");
  if (version.wants_tf_input()) env.set("TF_INPUT", "0");
  env.set(version.non_interactive_var(), "true");
  env.set_all(env_vars);
  env.set_all(layer_vars);
  return env.take();
}

namespace {

std::string* find_var(EnvVars& env, const std::string& name) {
  for (auto& [k, v] : env)
    if (k == name) return &v;
  return nullptr;
}

void set_unless_set(EnvVars& env, const std::string& name, const std::string& value) {
  if (!find_var(env, name)) env.emplace_back(name, value);
}

}  // namespace

void spare_planned_work(EnvVars& env, const TerragruntVersion& version, Action action) {
  if (action != Action::Show && action != Action::Apply) return;
  set_unless_set(env, version.at_least(0, 73) ? "TG_NO_AUTO_INIT" : "TERRAGRUNT_NO_AUTO_INIT",
                 "true");
  if (action == Action::Show) spare_dependency_outputs(env, version);
}

void spare_dependency_outputs(EnvVars& env, const TerragruntVersion& version) {
  if (!version.at_least(1, 1) || find_var(env, "TG_NO_DEPENDENCY_OUTPUTS")) return;
  // The flag needs its experiment; one the user enables already stays enabled.
  constexpr const char* kExperiment = "optional-dependency-outputs";
  std::string* experiments = find_var(env, "TG_EXPERIMENT");
  if (!experiments) {
    env.emplace_back("TG_EXPERIMENT", kExperiment);
  } else if (("," + *experiments + ",").find(std::string(",") + kExperiment + ",") ==
             std::string::npos) {
    *experiments += (experiments->empty() ? "" : ",") + std::string(kExperiment);
  }
  env.emplace_back("TG_NO_DEPENDENCY_OUTPUTS", "true");
}

EnvVars current_environment() {
  EnvVars out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    std::size_t eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    out.emplace_back(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return out;
}

}  // namespace stackctl
