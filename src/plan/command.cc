#include "stackctl/plan/command.h"

#include <array>

#include "stackctl/util/error.h"

namespace stackctl {

namespace {

using L = LockMode;
using X = ChangesExit;

// One row per Command, in its order. plan and drift read only: several may run at once, beside
// no apply or destroy. exec refuses what applies or destroys, yet may change state (state rm):
// it holds the lock alone. resume is never asked before it becomes the command it resumes; it
// stands for what any of them may do.
const std::array<CommandTraits, 7>& table() {
  static const std::array<CommandTraits, 7> rows{{
      {Command::Plan,
       "plan",
       L::Shared,
       false,
       false,
       true,
       X::WithDetailedExitcode,
       Action::Plan,
       {Action::Plan}},
      {Command::Apply,
       "apply",
       L::Exclusive,
       true,
       false,
       false,
       X::Never,
       Action::Apply,
       {Action::Apply}},
      {Command::Destroy,
       "destroy",
       L::Exclusive,
       true,
       true,
       false,
       X::Never,
       Action::Destroy,
       {Action::Destroy},
       true},
      {Command::Rebuild,
       "rebuild",
       L::Exclusive,
       true,
       true,
       false,
       X::Never,
       Action::Apply,
       {Action::Destroy, Action::Apply},
       true},
      {Command::Resume, "resume", L::Exclusive, true, true, false, X::Never, Action::Apply, {}},
      {Command::Drift,
       "drift",
       L::Shared,
       false,
       false,
       true,
       X::Always,
       Action::Plan,
       {Action::Plan},
       true},
      {Command::Exec, "exec", L::Exclusive, false, false, false, X::Never, Action::Apply, {}},
  }};
  return rows;
}

}  // namespace

const CommandTraits& traits(Command c) { return table()[static_cast<std::size_t>(c)]; }

const char* to_string(Command c) { return traits(c).name; }

std::optional<Command> parse_command(const std::string& word) {
  for (const CommandTraits& t : table())
    if (word == t.name) return t.command;
  return std::nullopt;
}

bool run_succeeded(Command command, int exit_code) {
  if (exit_code == static_cast<int>(ExitCode::Ok)) return true;
  return exit_code == static_cast<int>(ExitCode::Changes) &&
         traits(command).changes_exit != ChangesExit::Never;
}

bool run_succeeded(const std::string& command, int exit_code) {
  const auto c = parse_command(command);
  return c ? run_succeeded(*c, exit_code) : exit_code == static_cast<int>(ExitCode::Ok);
}

}  // namespace stackctl
