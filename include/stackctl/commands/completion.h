#pragma once
/// Shell completion scripts (bash, zsh, fish) generated from the command tree.
///
/// Commands, subcommands, flags and fixed choices are written into the script. Env, layer, tier
/// and manual step names come from the project at completion time: the script runs
/// `stackctl __complete KIND [--env E]`, which prints one name per line.
#include <optional>
#include <string>
#include <vector>

namespace stackctl {

/// What the value of an option or positional argument is.
enum class ValueKind { None, Any, File, Directory, Env, Layer, Tier, Step, Choice };

/// An option of a command; value None means a flag.
struct CompletionOption {
  std::vector<std::string> names;    ///< "--env", "-v", ...
  ValueKind value = ValueKind::None;
  std::vector<std::string> choices;  ///< with Choice
  std::string help;
};

/// A command and what can follow it.
struct CompletionCommand {
  std::string name;
  std::string help;
  std::vector<CompletionOption> options;
  std::vector<CompletionOption> positionals;  ///< in order; names hold the argument's name
  std::vector<CompletionCommand> subcommands;
};

/// The names `__complete` understands: env, layer, tier, step.
const char* to_string(ValueKind kind);

/// The completion script of root for shell (bash, zsh or fish); nullopt for another shell.
std::optional<std::string> completion_script(const CompletionCommand& root, const std::string& shell);

}  // namespace stackctl
