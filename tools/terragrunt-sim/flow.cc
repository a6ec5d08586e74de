#include "flow.h"

#include <cstdlib>
#include <string>

#include <fstream>
#include <iostream>

#include "render.h"
#include "signals.h"
#include "state.h"

namespace tgsim {

Step sequence(std::initializer_list<std::function<Step()>> steps) {
  for (const auto& step : steps) {
    Step s = step();
    if (!s.proceed) return s;
  }
  return Step::next();
}

Step take_lock(Context& ctx, StateLock& lock, const std::string& operation) {
  if (!ctx.tf.lock) return Step::next();
  std::string holder;
  auto slow = [&] { ctx.log.tf_stdout("Acquiring state lock. This may take a few moments...\n"); };
  switch (lock.acquire(ctx.module_dir, operation, ctx.tf.lock_timeout_s, holder, slow)) {
    case StateLock::Result::Acquired:
      return Step::next();
    case StateLock::Result::Interrupted:
      return checkpoint(ctx);
    case StateLock::Result::Busy:
      return terraform_error(
          ctx, "Error acquiring the state lock",
          "Error message: resource temporarily unavailable\n" + holder +
              "\n\nTerraform acquires a state lock to protect the state from being written\n"
              "by multiple users at the same time. Please resolve the issue above and try\n"
              "again. For most commands, you can disable locking with the \"-lock=false\"\n"
              "flag, but this is not recommended.");
    case StateLock::Result::Failed:
      break;
  }
  return terraform_error(ctx, "Error acquiring the state lock", holder);
}

Step terragrunt_error(const Context& ctx, const std::string& message) {
  ctx.log.error(message);
  return Step::stop(1);
}

Step terraform_error(const Context& ctx, const std::string& summary, const std::string& detail) {
  ctx.log.tf_stderr(error_box(summary, detail));
  if (!ctx.in_tofu) {
    ctx.log.error("Failed to execute \"" + ctx.terraform_command_line() + "\" in .\nexit status 1");
  }
  return Step::stop(1);
}

Step read_state(const Context& ctx, State& state) {
  std::string error;
  if (load_state(ctx.module_dir, state, error)) return Step::next();
  return terraform_error(ctx, "Failed to load state", error);
}

Step guard_prevent_destroy(const Context& ctx) {
  const std::string& cmd = ctx.inv.command;
  bool destroying = cmd == "destroy" || ((cmd == "plan" || cmd == "apply") && ctx.tf.destroy);
  if (!destroying || !ctx.module.hcl.prevent_destroy) return Step::next();
  return terragrunt_error(ctx, "Unit is protected by the prevent_destroy flag in " +
                                   ctx.module.file.string() +
                                   ". Set it to false or remove it to allow destruction of the "
                                   "unit.");
}

Step refuse_prompt(const Context& ctx) {
  if (!ctx.faults.refuse) return Step::next();
  std::cerr << "Remote state S3 bucket terragrunt-sim-state does not exist or you don't have "
               "permissions to access it. Would you like Terragrunt to create it? (y/n) n"
            << std::endl;
  return Step::stop(0);
}

namespace {
// From v1.1, TG_NO_DEPENDENCY_OUTPUTS with the optional-dependency-outputs experiment makes
// terragrunt build no inputs from dependency outputs; a `show` never reads them, so it succeeds
// where a dependency has no outputs (the only command stackctl sets the flag for).
bool dependency_outputs_spared(const Context& ctx) {
  if (ctx.inv.command != "show" || !ctx.version.at_least(1, 1)) return false;
  const char* flag = std::getenv("TG_NO_DEPENDENCY_OUTPUTS");
  const char* experiments = std::getenv("TG_EXPERIMENT");
  return flag && std::string(flag) == "true" && experiments &&
         ("," + std::string(experiments) + ",").find(",optional-dependency-outputs,") !=
             std::string::npos;
}
}  // namespace

Step read_dependencies(const Context& ctx) {
  if (dependency_outputs_spared(ctx)) return Step::next();
  DependencyCheck check;
  bool ok = check_dependency_outputs(ctx.module, ctx.inv.command, ctx.version.major >= 1, check);
  for (const std::string& warning : check.warnings) ctx.log.warn(warning);
  return ok ? Step::next() : terragrunt_error(ctx, check.error);
}

namespace {
// Counts the calls of a command that TERRAGRUNT_SIM_TRANSIENT_TIMES turned into transient errors
// (.terragrunt-sim/transient-<command>.count); true while fewer than N were.
bool transient_this_time(const Context& ctx) {
  if (ctx.faults.transient_times <= 0) return false;
  const std::filesystem::path file =
      sim_dir(ctx.module_dir) / ("transient-" + ctx.inv.command + ".count");
  int seen = 0;
  std::ifstream(file) >> seen;
  if (seen >= ctx.faults.transient_times) return false;
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  std::ofstream(file) << seen + 1;
  return true;
}
}  // namespace

Step transient_error(const Context& ctx) {
  if (!ctx.faults.transient && !transient_this_time(ctx)) return Step::next();
  return terraform_error(ctx, "Failed to install provider",
                         "Error while installing hashicorp/aws v5.31.0: Error installing provider "
                         "\"aws\": read tcp 10.0.0.2:51234->13.224.0.1:443: read: connection "
                         "reset by peer");
}

void log_running(const Context& ctx) {
  ctx.log.info("Running command: " + ctx.terraform_command_line());
}

// How long the double's terraform takes to stop gracefully after an interrupt.
constexpr double kGracefulStopS = 0.2;

Step checkpoint(Context& ctx) {
  if (signals_received() == 0) return Step::next();
  if (!ctx.interrupt_announced) {
    ctx.interrupt_announced = true;
    if (!ctx.in_tofu) ctx.log.info("Interrupt signal received. Gracefully shutting down...");
    ctx.log.tf_stdout(
        "Interrupt received.\nPlease wait for Terraform to exit or data loss may occur.\n"
        "Gracefully shutting down...\n");
  }
  if (signals_received() == 1 && ctx.faults.grace_s > 0) {
    sleep_unless_signalled(ctx.faults.grace_s);
  }
  // Real tofu's graceful stop takes a moment (the running operation ends, the state is written)
  // before it releases its lock: a terragrunt that SIGKILLs it at once (0.86.0-0.97.1) always
  // wins that race, and leaves the lock behind.
  if (ctx.in_tofu && signals_received() == 1) sleep_unless_signalled(kGracefulStopS);
  if (signals_received() >= 2) {
    ctx.log.tf_stderr(
        "Two interrupts received. Exiting immediately. Note that data loss may have occurred.\n");
  }
  if (!ctx.in_tofu) {
    ctx.log.error("Failed to execute \"" + ctx.terraform_command_line() + "\" in .\nexit status 1");
  }
  return Step::stop(1);
}

Step work(Context& ctx) {
  if (ctx.faults.sleep_s > 0) sleep_unless_signalled(ctx.faults.sleep_s);
  Step s = checkpoint(ctx);
  if (!s.proceed) return s;
  if (!ctx.faults.fail) return Step::next();
  return terraform_error(ctx, "Simulated failure of terraform " + ctx.inv.command,
                         "TERRAGRUNT_SIM_FAIL made this command fail.");
}

Step approve(const Context& ctx, bool destroying) {
  if (ctx.tf.auto_approve) return Step::next();
  const char* cancelled = destroying ? "\nDestroy cancelled.\n" : "\nApply cancelled.\n";
  if (!ctx.tf.input) {
    ctx.log.tf_stdout(cancelled);
    return Step::stop(1);
  }
  ctx.log.tf_stdout(destroying
                        ? "\nDo you really want to destroy all resources?\n"
                          "  Terraform will destroy all your managed infrastructure, as shown "
                          "above.\n  There is no undo. Only 'yes' will be accepted to confirm.\n\n"
                          "  Enter a value: \n"
                        : "\nDo you want to perform these actions?\n"
                          "  Terraform will perform the actions described above.\n"
                          "  Only 'yes' will be accepted to approve.\n\n  Enter a value: \n");
  std::string answer;
  if (std::getline(std::cin, answer) && answer == "yes") return Step::next();
  ctx.log.tf_stdout(cancelled);
  return Step::stop(1);
}

}  // namespace tgsim
