#pragma once
/// Everything one simulated terraform command works with.
#include <filesystem>
#include <string>

#include "args.h"
#include "dependencies.h"
#include "faults.h"
#include "log.h"
#include "tf_options.h"
#include "version.h"

namespace tgsim {

/// The parsed command line, the module and its configuration, faults and the logger.
struct Context {
  SimVersion version;
  Invocation inv;
  TfOptions tf;
  std::filesystem::path module_dir;  ///< absolute, normalised
  ModuleConfig module;               ///< the module's terragrunt.hcl
  Faults faults;
  Logger log{false, false};
  bool interrupt_announced = false;
  bool in_tofu = false;  ///< this process is the tofu child
  bool forked = false;   ///< the command ran in a tofu child

  /// `terraform plan -input=false ...` as the Running command line shows it.
  std::string terraform_command_line() const;
};

/// Runs ctx.inv.command in ctx.module_dir; returns the exit code.
int run_terraform_command(Context& ctx);

/// In the tofu child: terraform's part of ctx.inv.command; returns terraform's exit code.
int run_tofu_command(Context& ctx);

}  // namespace tgsim
