#pragma once
/// Shell completion scripts (bash, zsh, fish) generated from the command tree.
///
/// Commands, subcommands, flags and fixed choices are written into the script. Env, layer, tier
/// and manual step names come from the project at completion time: the script runs
/// `stackctl __complete KIND [--env E]`, which prints one name per line.
#include <optional>
#include <string>
#include <vector>

#include "stackctl/commands/context.h"

namespace stackctl {

/// What the value of an option or positional argument is.
enum class ValueKind { None, Any, File, Directory, Env, Layer, Tier, Step, Choice };

/// An option of a command; value None means a flag.
struct CompletionOption {
  std::vector<std::string> names;  ///< "--env", "-v", ...
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
std::optional<std::string> completion_script(const CompletionCommand& root,
                                             const std::string& shell);

/// `stackctl completion SHELL`: completion_script on stdout; Error(Usage) for another shell.
int print_completion_script(const CompletionCommand& root, const std::string& shell);

/// The choices of a fixed set as the command tree writes them in a type name (`TEXT:{a,b,c}`);
/// none when it has no braces.
std::vector<std::string> choices_in(const std::string& type_name);

/// What the value of an option is, from its type name and long names (without dashes), or of a
/// positional argument, from its name (positional; empty for an option): a fixed choice, an
/// env, a layer, a tier, a manual step, a folder, a file, or anything.
ValueKind value_kind(const std::string& type_name, const std::vector<std::string>& long_names,
                     const std::string& positional);

/// The names of kind (env, layer, tier or step) in the project at where: the envs; the tiers
/// the manifest declares, else those its layers name, in order; the layers (for step, the manual
/// ones), with env only those it enables. Throws what Workspace::open and select_env throw.
std::vector<std::string> completion_names(const Locations& where, const std::string& kind,
                                          const std::string& env);

/// `stackctl __complete KIND [--env E]`: completion_names on stdout, one a line; outside a
/// project, or for an unknown env, nothing and exit 0 (completion offers nothing rather than
/// an error message).
int complete_names(const Context& ctx, const std::string& kind, const std::string& env);

}  // namespace stackctl
