#include "tf_options.h"

#include <cstdlib>
#include <cstring>

#include "plan_stream.h"

namespace tgsim {
namespace {

const char* const kBoolFlags[] = {
    "input",       "lock",          "detailed-exitcode", "destroy", "auto-approve", "json",
    "raw",         "no-color",      "compact-warnings",  "refresh", "refresh-only", "upgrade",
    "reconfigure", "migrate-state", "force-copy",        "get",     "backend",      "concise"};
const char* const kValueFlags[] = {
    "lock-timeout",       "out",   "var",       "var-file", "target",         "replace",
    "parallelism",        "state", "state-out", "backup",   "backend-config", "plugin-dir",
    "generate-config-out"};

bool listed(const char* const* begin, const char* const* end, const std::string& name) {
  for (auto it = begin; it != end; ++it) {
    if (name == *it) return true;
  }
  return false;
}

bool bool_value(const std::string& v, bool has_value) {
  return !has_value || v == "true" || v == "1" || v == "t" || v == "T" || v == "TRUE";
}

void set_bool(TfOptions& o, const std::string& name, bool on) {
  if (name == "input") o.input = on;
  if (name == "lock") o.lock = on;
  if (name == "detailed-exitcode") o.detailed_exitcode = on;
  if (name == "destroy") o.destroy = on;
  if (name == "auto-approve") o.auto_approve = on;
  if (name == "json") o.json = on;
  if (name == "raw") o.raw = on;
}

bool set_value(TfOptions& o, const std::string& name, const std::string& value,
               std::string& error) {
  if (name == "out") o.out = value;
  if (name == "json-into") o.json_into = value;
  if (name == "replace") o.replace.push_back(value);
  if (name == "lock-timeout") {
    auto seconds = parse_go_duration(value);
    if (!seconds) {
      error = "invalid value \"" + value + "\" for flag -lock-timeout: parse error";
      return false;
    }
    o.lock_timeout_s = *seconds;
  }
  return true;
}

}  // namespace

std::optional<double> parse_go_duration(const std::string& text) {
  if (text == "0") return 0.0;
  double total = 0;
  std::size_t pos = 0;
  if (text.empty()) return std::nullopt;
  while (pos < text.size()) {
    const char* start = text.c_str() + pos;
    char* end = nullptr;
    double number = std::strtod(start, &end);
    if (end == start || *start == '-' || *start == '+') return std::nullopt;
    pos += static_cast<std::size_t>(end - start);
    std::size_t unit_end = pos;
    while (unit_end < text.size() && std::strchr("hmsnuµ", text[unit_end]) != nullptr) ++unit_end;
    std::string unit = text.substr(pos, unit_end - pos);
    pos = unit_end;
    if (unit == "h")
      total += number * 3600;
    else if (unit == "m")
      total += number * 60;
    else if (unit == "s")
      total += number;
    else if (unit == "ms")
      total += number / 1000;
    else if (unit == "us" || unit == "µs")
      total += number / 1e6;
    else if (unit == "ns")
      total += number / 1e9;
    else
      return std::nullopt;
  }
  return total;
}

std::optional<TfOptions> parse_tf_options(const std::vector<std::string>& args,
                                          std::string& error) {
  TfOptions o;
  const char* tf_input = std::getenv("TF_INPUT");
  if (tf_input && (std::string(tf_input) == "false" || std::string(tf_input) == "0")) {
    o.input = false;
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() < 2 || arg[0] != '-') {
      o.positional.push_back(arg);
      continue;
    }
    std::string name = arg.substr(arg[1] == '-' ? 2 : 1);
    std::string value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (listed(std::begin(kBoolFlags), std::end(kBoolFlags), name)) {
      set_bool(o, name, bool_value(value, has_value));
    } else if (listed(std::begin(kValueFlags), std::end(kValueFlags), name) ||
               (name == "json-into" && tofu_has_json_into())) {
      if (!has_value) {
        if (i + 1 >= args.size()) {
          error = "flag needs an argument: -" + name;
          return std::nullopt;
        }
        value = args[++i];
      }
      if (!set_value(o, name, value, error)) return std::nullopt;
    } else {
      error = "flag provided but not defined: -" + name;
      return std::nullopt;
    }
  }
  return o;
}

}  // namespace tgsim
