// terragrunt-sim: a test double of the terragrunt CLI. It is run where terragrunt would be
// (cwd = the module directory) and keeps the simulated infrastructure in .terragrunt-sim/.
// See docs/terragrunt-sim.md.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "call_log.h"
#include "module_run.h"
#include "signals.h"
#include "tofu.h"

namespace {

namespace fs = std::filesystem;
using tgsim::Context;

const char* const kHelp =
    "Usage: terragrunt [global options] <command> [terraform options]\n"
    "\n"
    "Simulated commands: init, validate, plan, apply, destroy, output, show\n"
    "Also: run [--all] [--] <command>, run-all <command> (versions below 0.90), --version\n"
    "\n"
    "This is terragrunt-sim, a test double; see docs/terragrunt-sim.md.\n";

/// Arguments, version, environment; false with the exit code when the command line is refused.
bool prepare(const std::vector<std::string>& args, Context& ctx, int& code) {
  std::string error;
  auto version = tgsim::version_from_environment(error);
  if (!version) {
    std::cerr << "terragrunt-sim: " << error << "\n";
    code = 1;
    return false;
  }
  ctx.version = *version;
  auto inv = tgsim::parse_invocation(args, ctx.version, error);
  if (inv) {
    ctx.inv = *inv;
    if (tgsim::apply_environment(ctx.inv, ctx.version, error)) {
      ctx.log = tgsim::Logger(ctx.inv.log_disable, ctx.inv.forward_stdout);
      for (const auto& warning : ctx.inv.warnings) ctx.log.warn(warning);
      return true;
    }
  }
  ctx.log.error(error);
  code = 1;
  return false;
}

/// The module directory: cwd, or --working-dir relative to it.
bool locate_module(Context& ctx) {
  std::error_code ec;
  fs::path dir = fs::current_path(ec);
  if (!ctx.inv.working_dir.empty()) dir /= ctx.inv.working_dir;
  dir = fs::weakly_canonical(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    ctx.log.error("The working directory " + dir.string() + " does not exist");
    return false;
  }
  ctx.module_dir = dir;
  return true;
}

int run(const std::vector<std::string>& args, tgsim::CallLog& call_log) {
  Context ctx;
  int code = 0;
  if (!prepare(args, ctx, code)) return code;
  call_log.set_non_interactive(ctx.inv.non_interactive);
  if (ctx.inv.show_version) {
    ctx.log.raw_stdout("terragrunt version " + ctx.version.to_string() + "\n");
    return 0;
  }
  if (ctx.inv.show_help || ctx.inv.command.empty()) {
    ctx.log.raw_stdout(kHelp);
    return 0;
  }
  std::string error;
  if (!tgsim::install_signal_handlers("", error)) {
    ctx.log.error(error);
    return 1;
  }
  if (!locate_module(ctx)) return 1;
  return ctx.inv.all ? tgsim::run_all(ctx) : tgsim::run_module(ctx, ctx.module_dir);
}

}  // namespace

int main(int argc, char** argv) {
  // The tofu child of a parent terragrunt-sim: terraform's part only, no call log line.
  if (const char* payload = std::getenv(tgsim::kTofuVariable)) {
    try {
      return tgsim::tofu_main(payload);
    } catch (const std::exception& e) {
      std::cerr << "tofu: internal error: " << e.what() << "\n";
      return 1;
    }
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  tgsim::CallLog call_log(std::vector<std::string>(argv, argv + argc));
  int code = 1;
  try {
    code = run(args, call_log);
  } catch (const std::exception& e) {
    std::cerr << "terragrunt-sim: internal error: " << e.what() << "\n";
    code = 1;
  }
  call_log.write(code);
  return code;
}
