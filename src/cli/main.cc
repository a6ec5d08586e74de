// stackctl: parses the command line, wires the console and logging, runs one command, and maps
// every failure to an exit code. No other logic lives here.
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "cli.h"
#include "stackctl/report/report.h"
#include "stackctl/util/error.h"
#include "stackctl/util/suggest.h"
#include "stackctl/util/version.h"

namespace {

using stackctl::cli::Invocation;

void add_global_flags(CLI::App& app, Invocation& inv, stackctl::ConsoleFlags& flags) {
  app.add_option("--manifest", inv.ctx.where.manifest,
                 "Layer manifest (default: layers/manifest.yaml above the working directory)");
  app.add_option("--envs-dir", inv.ctx.where.envs_dir,
                 "Folder holding the envs (default: <root>/envs)");
  app.add_option("--state-dir", inv.ctx.where.state_dir,
                 "Journal, locks and logs (default: <root>/.stackctl)");
  app.add_option("--terragrunt", inv.ctx.terragrunt,
                 "terragrunt binary (also STACKCTL_TERRAGRUNT)");
  app.add_option("--output", flags.output, "text, json or ndjson")
      ->check(CLI::IsMember({"text", "json", "ndjson"}));
  app.add_flag("--no-color", flags.no_color, "No colours (also NO_COLOR)");
  app.add_flag("-v,--verbose", flags.verbose, "Show each child's output, prefixed with its layer");
  app.add_flag("-q,--quiet", flags.quiet, "Only errors and results");
  app.set_version_flag("--version", std::string("stackctl ") + stackctl::version());
}

int report_error(const Invocation& inv, int code, const std::string& message) {
  std::cerr << "stackctl: " << message << std::endl;
  std::cout << stackctl::error_output(inv.ctx.console.format, inv.command, inv.env, code, message)
            << std::flush;
  return code;
}

// The value of a flag on a command line CLI11 could not parse whole (`--env dev` or
// `--env=dev`, the last one counting), "" when it is not there.
std::string flag_value(int argc, char** argv, const std::string& flag) {
  std::string value;
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--") break;
    if (word == flag && i + 1 < argc)
      value = argv[++i];
    else if (word.rfind(flag + "=", 0) == 0)
      value = word.substr(flag.size() + 1);
  }
  return value;
}

// When no command was given but a word close to one was (`stackctl aply`): "unknown command
// 'aply' (did you mean 'apply'?)".
std::optional<std::string> mistyped_command(const CLI::App& app, int argc, char** argv) {
  if (!app.get_subcommands().empty()) return std::nullopt;  // a command was found: not a typo
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.empty() || word[0] == '-') continue;
    if (auto close = stackctl::closest_match(word, names))
      return "unknown command '" + word + "' (did you mean '" + *close + "'?)";
  }
  return std::nullopt;
}

// An option nothing knows (`stackctl --no-such-flag`, `stackctl apply --no-such-flag`), as CLI11
// reports it: "The following argument was not expected: --no-such-flag". CLI11 checks what is
// required before what is left over, so without this it would say "A subcommand is required"
// or "--env is required" instead.
std::optional<CLI::ExtrasError> unknown_option(const CLI::App& app) {
  std::vector<std::string> left = app.remaining(true);
  for (const auto& word : left)
    if (word.size() > 1 && word[0] == '-') return CLI::ExtrasError(left);
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed stdout or stderr (`| head`, a `| tee` ended by Ctrl-C) must never end a run: writes
  // to it fail with EPIPE and are dropped, the logs still go to their files. Children get the
  // default disposition back before exec (spawn.cc).
  std::signal(SIGPIPE, SIG_IGN);
  spdlog::set_default_logger(spdlog::stderr_logger_st("stackctl"));
  spdlog::set_pattern("%l: %v");  // "warning: ...", "error: ..."
  Invocation inv;
  inv.ctx.argv.assign(argv, argv + argc);
  inv.ctx.stdin_is_terminal = isatty(STDIN_FILENO);
  CLI::App app{"stackctl: run a layered terragrunt stack in dependency order, safely"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the command
  stackctl::ConsoleFlags console_flags;
  add_global_flags(app, inv, console_flags);
  using namespace stackctl::cli;
  for (auto setup :
       {setup_list,     setup_graph,  setup_validate, setup_plan,   setup_apply,      setup_destroy,
        setup_rebuild,  setup_resume, setup_status,   setup_output, setup_confirm,    setup_unlock,
        setup_scaffold, setup_import, setup_drift,    setup_ci,     setup_completion, setup_gates,
        setup_logs,     setup_prune,  setup_exec})
    setup(app, inv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // The message goes to stderr as CLI11 prints it; with --output json or ndjson the document
    // still follows on stdout, as for every other failure.
    std::string message;
    if (auto typo = mistyped_command(app, argc, argv)) {
      std::cerr << "stackctl: " << *typo << std::endl;
      message = *typo;
    } else if (auto unknown = unknown_option(app)) {
      app.exit(*unknown);
      message = unknown->what();
    } else {
      app.exit(e);
      message = e.what();
    }
    const int code = static_cast<int>(stackctl::ExitCode::Usage);
    if (inv.env.empty()) inv.env = flag_value(argc, argv, "--env");
    for (auto* sub : app.get_subcommands()) inv.command = sub->get_name();
    std::cout << stackctl::error_output(stackctl::output_format(flag_value(argc, argv, "--output")),
                                        inv.command, inv.env, code, message)
              << std::flush;
    return code;
  }
  inv.ctx.console = stackctl::make_console(
      console_flags, {isatty(STDERR_FILENO) == 1, std::getenv("TERM"), std::getenv("NO_COLOR"),
                      std::getenv("CLICOLOR_FORCE")});
  for (auto* sub : app.get_subcommands()) inv.command = sub->get_name();
  try {
    return inv.action();
  } catch (const stackctl::Error& e) {
    return report_error(inv, static_cast<int>(e.code()), e.what());
  } catch (const std::exception& e) {
    return report_error(inv, static_cast<int>(stackctl::ExitCode::Software),
                        std::string("internal error: ") + e.what());
  }
}
