#pragma once
/// Terraform's own flags (`-input=false`, `-out=FILE`, ...) as the simulated commands use them.
#include <optional>
#include <string>
#include <vector>

namespace tgsim {

/// The terraform arguments of one command.
struct TfOptions {
  bool input = true;                    ///< -input (also TF_INPUT=false/0)
  bool lock = true;                     ///< -lock
  double lock_timeout_s = 0;            ///< -lock-timeout, in seconds
  bool detailed_exitcode = false;       ///< -detailed-exitcode
  std::string out;                      ///< -out (plan)
  std::string json_into;                ///< -json-into (plan; only when the sim's tofu is 1.12+)
  bool destroy = false;                 ///< -destroy (plan, apply)
  bool auto_approve = false;            ///< -auto-approve (apply, destroy)
  bool json = false;                    ///< -json
  bool raw = false;                     ///< -raw (output)
  std::vector<std::string> replace;     ///< -replace=ADDR
  std::vector<std::string> positional;  ///< plan file, output name, ...
};

/// Parses terraform arguments (`-flag`, `--flag`, `-flag=value`, `-flag value`). Unknown flags
/// fail like terraform: nullopt with error `flag provided but not defined: -name`.
std::optional<TfOptions> parse_tf_options(const std::vector<std::string>& args, std::string& error);

/// Parses a Go duration such as `5m`, `30s`, `1m30s`, `500ms`, `0`; nullopt when malformed.
std::optional<double> parse_go_duration(const std::string& text);

}  // namespace tgsim
