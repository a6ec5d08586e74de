#pragma once
// The per-shell writers of the completion scripts and the tables they share.
#include <string>
#include <utility>
#include <vector>

#include "stackctl/commands/completion.h"

namespace stackctl::completion {

/// The command tree flattened into what every script looks up.
struct Tables {
  struct Command {
    std::string path;  ///< "stackctl", "stackctl ci", "stackctl ci github"
    std::vector<std::pair<std::string, std::string>> subcommands;  ///< name, help
    std::vector<std::pair<std::string, std::string>> options;      ///< name, help
  };
  std::vector<Command> commands;
  /// "PATH|--option" or "PATH|#N" -> file, dir, env, layer, tier, step, any or "choice:a b c".
  std::vector<std::pair<std::string, std::string>> kinds;
};

/// The tables of root (its own path is its name).
Tables tables(const CompletionCommand& root);

/// s in single quotes for bash and zsh.
std::string posix_quote(const std::string& s);
/// s in single quotes for fish (backslash and quote escaped).
std::string fish_quote(const std::string& s);
/// help on one line.
std::string one_line(const std::string& help);

std::string bash_script(const std::string& program, const Tables& t);
std::string zsh_script(const std::string& program, const Tables& t);
std::string fish_script(const std::string& program, const Tables& t);

}  // namespace stackctl::completion
