// One module: read its terragrunt.hcl, check the command, parse terraform's flags, load the
// faults, run the command, and let TERRAGRUNT_SIM_EXIT override the result.
#include <set>

#include "commands.h"
#include "flow.h"
#include "module_run.h"
#include "render.h"
#include "signals.h"

namespace tgsim {
namespace {

const std::set<std::string> kSimulated = {"init",    "validate", "plan", "apply",
                                          "destroy", "output",   "show"};
const std::set<std::string> kOtherTerraform = {
    "refresh", "import", "fmt",       "providers", "console",  "force-unlock",
    "get",     "graph",  "login",     "logout",    "state",    "taint",
    "untaint", "test",   "workspace", "version",   "metadata", "modules"};

/// Commands the simulator does not run: terraform's other commands, and unknown words, which
/// terragrunt forwards to terraform (before v0.88) or rejects (from v0.88).
Step check_command(const Context& ctx) {
  const std::string& cmd = ctx.inv.command;
  if (kSimulated.count(cmd)) return Step::next();
  if (kOtherTerraform.count(cmd)) {
    return terragrunt_error(ctx, "terraform " + cmd + " is not simulated by terragrunt-sim");
  }
  if (ctx.version.forwarding_removed()) {
    return terragrunt_error(ctx, "unknown command: \"" + cmd + "\"");
  }
  ctx.log.tf_stderr("Terraform has no command named \"" + cmd +
                    "\".\n\nTo see all of Terraform's top-level commands, run:\n"
                    "  terraform -help\n\n");
  return terragrunt_error(
      ctx, "Failed to execute \"" + ctx.terraform_command_line() + "\" in .\nexit status 1");
}

Step load_config(Context& ctx) {
  std::filesystem::path file = ctx.inv.config_file.empty()
                                   ? ctx.module_dir / "terragrunt.hcl"
                                   : std::filesystem::path(module_path(ctx, ctx.inv.config_file));
  std::string error;
  if (!load_module(ctx.module_dir, file, ctx.module, error)) return terragrunt_error(ctx, error);
  std::error_code ec;
  std::filesystem::create_directories(sim_dir(ctx.module_dir), ec);
  if (!set_signal_log((sim_dir(ctx.module_dir) / "signals.log").string(), error)) {
    return terragrunt_error(ctx, error);
  }
  return Step::next();
}

Step parse_terraform_flags(Context& ctx) {
  std::string error;
  auto tf = parse_tf_options(ctx.inv.tf_args, error);
  if (tf) {
    ctx.tf = *tf;
    return Step::next();
  }
  return terraform_error(ctx, "Failed to parse command-line flags",
                         error + "\n\nFor more help on using this command, run:\n  terraform " +
                             ctx.inv.command + " -help");
}

Step read_faults(Context& ctx) {
  std::string error;
  if (load_faults(ctx.module_dir, ctx.inv.command, ctx.faults, error)) return Step::next();
  return terragrunt_error(ctx, error);
}

}  // namespace

std::string Context::terraform_command_line() const {
  std::string line = "terraform " + inv.command;
  for (const std::string& arg : inv.tf_args) line += " " + arg;
  return line;
}

int run_terraform_command(Context& ctx) {
  const std::string& cmd = ctx.inv.command;
  if (cmd == "init") return run_init(ctx);
  if (cmd == "validate") return run_validate(ctx);
  if (cmd == "plan" || cmd == "apply") return run_plan_or_apply(ctx);
  if (cmd == "destroy") return run_destroy(ctx);
  return run_output_or_show(ctx);
}

int run_tofu_command(Context& ctx) {
  const std::string& cmd = ctx.inv.command;
  if (cmd == "plan") return tofu_plan(ctx);
  if (cmd == "apply") return tofu_apply(ctx);
  if (cmd == "destroy") return tofu_destroy(ctx);
  if (cmd == "output") return tofu_output(ctx);
  if (cmd == "show") return tofu_show(ctx);
  ctx.log.tf_stderr("Terraform has no command named \"" + cmd + "\".\n");
  return 1;
}

int run_module(Context ctx, const std::filesystem::path& module_dir) {
  ctx.module_dir = module_dir;
  Step s = sequence({
      [&] { return check_command(ctx); },
      [&] { return load_config(ctx); },
      [&] { return parse_terraform_flags(ctx); },
      [&] { return read_faults(ctx); },
  });
  if (!s.proceed) return s.exit_code;
  int code = run_terraform_command(ctx);
  // A forked command's child applied TERRAGRUNT_SIM_EXIT itself, knowing its own signals.
  if (!ctx.forked && ctx.faults.exit_code && signals_received() == 0) code = *ctx.faults.exit_code;
  return code;
}

}  // namespace tgsim
