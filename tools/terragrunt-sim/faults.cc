#include "faults.h"

#include <cstdlib>
#include <map>

#include <nlohmann/json.hpp>

#include "state.h"

namespace tgsim {
namespace {

using nlohmann::json;

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string item;
  for (char c : text) {
    if (c == sep) {
      if (!item.empty()) out.push_back(item);
      item.clear();
    } else if (c != ' ') {
      item += c;
    }
  }
  if (!item.empty()) out.push_back(item);
  return out;
}

/// The value for command from `v` or `cmd:v,cmd2:v2`; nullopt when it does not apply.
std::optional<std::string> scoped(const std::string& text, const std::string& command) {
  std::optional<std::string> any;
  for (const std::string& item : split(text, ',')) {
    auto colon = item.find(':');
    if (colon == std::string::npos) {
      any = item;
    } else if (item.substr(0, colon) == command) {
      return item.substr(colon + 1);
    }
  }
  return any;
}

bool to_number(const std::string& key, const std::string& text, double& out, std::string& error) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || out < 0) {
    error = "invalid " + key + " '" + text + "': expected a number of seconds";
    return false;
  }
  return true;
}

/// Every TERRAGRUNT_SIM_* fault key: from the environment, then faults.json on top.
bool collect(const std::filesystem::path& module_dir, std::map<std::string, std::string>& values,
             std::string& error) {
  static const char* const kKeys[] = {"FAIL",    "EXIT",   "SLEEP",     "GRACE",
                                      "REPLACE", "REFUSE", "TRANSIENT", "TRANSIENT_TIMES"};
  for (const char* key : kKeys) {
    std::string name = std::string("TERRAGRUNT_SIM_") + key;
    if (const char* v = std::getenv(name.c_str())) values[name] = v;
  }
  std::filesystem::path file = sim_dir(module_dir) / "faults.json";
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return true;
  std::string text;
  json j = read_file(file, text) ? json::parse(text, nullptr, false) : json();
  if (!j.is_object()) {
    error = file.string() + ": not a JSON object";
    return false;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    values[it.key()] = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
  }
  return true;
}

}  // namespace

bool load_faults(const std::filesystem::path& module_dir, const std::string& command, Faults& out,
                 std::string& error) {
  out = Faults{};
  std::map<std::string, std::string> v;
  if (!collect(module_dir, v, error)) return false;
  for (const std::string& action : split(v["TERRAGRUNT_SIM_FAIL"], ',')) {
    if (action == command || action == "*" || action == "all") out.fail = true;
  }
  if (auto code = scoped(v["TERRAGRUNT_SIM_EXIT"], command)) {
    double n = 0;
    if (!to_number("TERRAGRUNT_SIM_EXIT", *code, n, error)) return false;
    if (n > 255) {
      error = "invalid TERRAGRUNT_SIM_EXIT '" + *code + "': expected 0..255";
      return false;
    }
    out.exit_code = static_cast<int>(n);
  }
  if (auto s = scoped(v["TERRAGRUNT_SIM_SLEEP"], command)) {
    if (!to_number("TERRAGRUNT_SIM_SLEEP", *s, out.sleep_s, error)) return false;
  }
  if (auto s = scoped(v["TERRAGRUNT_SIM_GRACE"], command)) {
    if (!to_number("TERRAGRUNT_SIM_GRACE", *s, out.grace_s, error)) return false;
  }
  out.replace = split(v["TERRAGRUNT_SIM_REPLACE"], ',');
  auto refuse = scoped(v["TERRAGRUNT_SIM_REFUSE"], command);
  out.refuse = refuse && (*refuse == "1" || *refuse == "true");
  auto transient = scoped(v["TERRAGRUNT_SIM_TRANSIENT"], command);
  out.transient = transient && (*transient == "1" || *transient == "true");
  if (auto times = scoped(v["TERRAGRUNT_SIM_TRANSIENT_TIMES"], command)) {
    double n = 0;
    if (!to_number("TERRAGRUNT_SIM_TRANSIENT_TIMES", *times, n, error)) return false;
    out.transient_times = static_cast<int>(n);
  }
  return true;
}

}  // namespace tgsim
