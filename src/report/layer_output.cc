// One value of `terragrunt output -json`, printed as `terraform output NAME` would.
#include "stackctl/report/layer_output.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "stackctl/util/error.h"
#include "stackctl/util/suggest.h"
#include "stackctl/util/terminal_text.h"

namespace stackctl {

namespace {

std::string unknown_output(const nlohmann::json& outputs, const std::string& layer,
                           const std::string& name) {
  if (!outputs.is_object() || outputs.empty())
    return "layer '" + layer + "' has no outputs (is it applied?)";
  std::vector<std::string> names;
  std::string list;
  for (auto it = outputs.begin(); it != outputs.end(); ++it) {
    names.push_back(it.key());
    list += (list.empty() ? "" : ", ") + it.key();
  }
  return "layer '" + layer + "' has no output '" + name + "'" + did_you_mean(name, names) +
         "; its outputs: " + list;
}

}  // namespace

std::string render_output(const nlohmann::json& outputs, const std::string& layer,
                          const std::string& name, bool json) {
  if (!outputs.is_object() || !outputs.contains(name))
    throw usage_error(unknown_output(outputs, layer, name));
  const nlohmann::json& entry = outputs[name];
  const nlohmann::json value =
      entry.is_object() && entry.contains("value") ? entry["value"] : entry;
  if (json) return value.dump() + "\n";
  if (value.is_string()) return value.get<std::string>() + "\n";
  return value.dump(2) + "\n";
}

std::string for_stdout(const std::string& text) {
  return ::isatty(STDOUT_FILENO) ? terminal_safe(text) : text;
}

}  // namespace stackctl
