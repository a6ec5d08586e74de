// Terragrunt's environment variables: TG_* from v0.73 on, TERRAGRUNT_* in every version (with a
// deprecation warning from v0.73, an error under strict mode), and terraform's TF_INPUT.
#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "args.h"

extern char** environ;

namespace tgsim {
namespace {

bool truthy(const char* v) {
  return v != nullptr && (std::string(v) == "true" || std::string(v) == "1");
}

/// Variables whose TG_* name is not simply the TERRAGRUNT_* suffix.
std::string tg_name_for(const std::string& suffix) {
  static const std::pair<const char*, const char*> kRenamed[] = {
      {"FORWARD_TF_STDOUT", "TF_FORWARD_STDOUT"},
      {"TFPATH", "TF_PATH"},
      {"IGNORE_EXTERNAL_DEPENDENCIES", "QUEUE_EXCLUDE_EXTERNAL"},
      {"INCLUDE_EXTERNAL_DEPENDENCIES", "QUEUE_INCLUDE_EXTERNAL"},
  };
  for (const auto& [old_suffix, new_suffix] : kRenamed) {
    if (suffix == old_suffix) return std::string("TG_") + new_suffix;
  }
  return "TG_" + suffix;
}

/// The TERRAGRUNT_* variables that are set (the simulator's own TERRAGRUNT_SIM_* excluded),
/// sorted by name.
std::vector<std::pair<std::string, std::string>> legacy_variables() {
  std::vector<std::pair<std::string, std::string>> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    std::string name = entry.substr(0, eq);
    if (name.rfind("TERRAGRUNT_", 0) != 0 || name.rfind("TERRAGRUNT_SIM_", 0) == 0) continue;
    out.emplace_back(name, entry.substr(eq + 1));
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// The value of TG_<suffix> (new dialect only) or TERRAGRUNT_<suffix>.
const char* lookup(const SimVersion& version, const std::string& suffix) {
  if (version.has_new_cli()) {
    if (const char* v = std::getenv(("TG_" + suffix).c_str())) return v;
  }
  return std::getenv(("TERRAGRUNT_" + suffix).c_str());
}

/// From v0.76 terragrunt reads TF_INPUT itself, as a deprecated negated alias of
/// --non-interactive (internal/strict/controls/deprecated_env_var.go): a WARN, or an error in
/// strict mode.
bool tf_input_warning(Invocation& inv, const std::string& value, std::string& error) {
  bool input = value == "1" || value == "true" || value == "t" || value == "T" || value == "TRUE" ||
               value == "True";
  std::string replacement = std::string("TG_NON_INTERACTIVE=") + (input ? "false" : "true");
  if (inv.strict) {
    error = "The `TF_INPUT` environment variable is no longer supported. Use `" + replacement +
            "` instead.";
    return false;
  }
  inv.warnings.push_back(
      "The `TF_INPUT` environment variable is deprecated and will be removed "
      "in a future version of Terragrunt. Use `" +
      replacement + "` instead.");
  return true;
}

}  // namespace

bool apply_environment(Invocation& inv, const SimVersion& version, std::string& error) {
  if (version.has_new_cli() && truthy(std::getenv("TG_STRICT_MODE"))) inv.strict = true;
  if (version.has_new_cli()) {
    for (const auto& [name, value] : legacy_variables()) {
      std::string replacement = tg_name_for(name.substr(std::string("TERRAGRUNT_").size()));
      if (inv.strict) {
        error = "The `" + name + "` environment variable is no longer supported. Use `" +
                replacement + "=" + value + "` instead.";
        return false;
      }
      inv.warnings.push_back("The `" + name +
                             "` environment variable is deprecated and will be removed in a "
                             "future version of Terragrunt. Use `" +
                             replacement + "=" + value + "` instead.");
    }
  }
  const char* tf_input = std::getenv("TF_INPUT");
  if (tf_input != nullptr && version.tf_input_deprecated() &&
      !tf_input_warning(inv, tf_input, error)) {
    return false;
  }
  if (truthy(lookup(version, "NON_INTERACTIVE"))) inv.non_interactive = true;
  if (tf_input != nullptr && (std::string(tf_input) == "false" || std::string(tf_input) == "0")) {
    inv.non_interactive = true;
  }
  if (truthy(lookup(version, "LOG_DISABLE"))) inv.log_disable = true;
  if (truthy(lookup(version, "FORWARD_TF_STDOUT")) ||
      (version.has_new_cli() && truthy(std::getenv("TG_TF_FORWARD_STDOUT")))) {
    inv.forward_stdout = true;
  }
  if (inv.working_dir.empty()) {
    if (const char* dir = lookup(version, "WORKING_DIR")) inv.working_dir = dir;
  }
  return true;
}

}  // namespace tgsim
