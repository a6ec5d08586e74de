// Completion scripts from a command tree. Each script carries three tables, keyed by the
// command path ("stackctl", "stackctl ci", ...): the subcommands, the options, and the kind of
// value each option or positional argument takes ("PATH|--env" -> env, "PATH|#1" -> layer).
// One small loop per shell walks the words typed so far to find the path, then completes a
// subcommand, an option, or a value.
#include "stackctl/commands/completion.h"

#include <sstream>

#include "completion_scripts.h"

namespace stackctl {

const char* to_string(ValueKind kind) {
  switch (kind) {
    case ValueKind::None:
      return "none";
    case ValueKind::Any:
      return "any";
    case ValueKind::File:
      return "file";
    case ValueKind::Directory:
      return "dir";
    case ValueKind::Env:
      return "env";
    case ValueKind::Layer:
      return "layer";
    case ValueKind::Tier:
      return "tier";
    case ValueKind::Step:
      return "step";
    case ValueKind::Choice:
      return "choice";
  }
  return "none";
}

namespace completion {

namespace {

std::string kind_code(ValueKind kind, const std::vector<std::string>& choices) {
  if (kind != ValueKind::Choice) return to_string(kind);
  std::string out = "choice:";
  for (std::size_t i = 0; i < choices.size(); ++i) out += (i ? " " : "") + choices[i];
  return out;
}

void collect(const CompletionCommand& cmd, const std::string& path, Tables& t) {
  Tables::Command c;
  c.path = path;
  for (const auto& sub : cmd.subcommands) c.subcommands.push_back({sub.name, sub.help});
  for (const auto& opt : cmd.options) {
    for (const auto& name : opt.names) {
      c.options.push_back({name, opt.help});
      if (opt.value != ValueKind::None)
        t.kinds.push_back({path + "|" + name, kind_code(opt.value, opt.choices)});
    }
  }
  for (std::size_t i = 0; i < cmd.positionals.size(); ++i) {
    const CompletionOption& arg = cmd.positionals[i];
    if (arg.value != ValueKind::None)
      t.kinds.push_back({path + "|#" + std::to_string(i + 1), kind_code(arg.value, arg.choices)});
  }
  t.commands.push_back(c);
  for (const auto& sub : cmd.subcommands) collect(sub, path + " " + sub.name, t);
}

}  // namespace

Tables tables(const CompletionCommand& root) {
  Tables t;
  collect(root, root.name, t);
  return t;
}

std::string posix_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string fish_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string one_line(const std::string& help) {
  std::string out;
  for (char c : help) out += (c == '\n' || c == '\t') ? ' ' : c;
  return out;
}

}  // namespace completion

std::optional<std::string> completion_script(const CompletionCommand& root,
                                             const std::string& shell) {
  completion::Tables t = completion::tables(root);
  if (shell == "bash") return completion::bash_script(root.name, t);
  if (shell == "zsh") return completion::zsh_script(root.name, t);
  if (shell == "fish") return completion::fish_script(root.name, t);
  return std::nullopt;
}

}  // namespace stackctl
