#pragma once
/// Running one terraform command in one module, and in every module of a tree (--all).
#include <filesystem>

#include "context.h"

namespace tgsim {

/// Runs ctx.inv in module_dir: config, command check, terraform flags, faults, the command.
/// Returns the exit code.
int run_module(Context ctx, const std::filesystem::path& module_dir);

/// `run --all` / `run-all`: every unit below ctx.module_dir in dependency order (reverse for
/// destroy, leaving out prevent_destroy units and what they depend on). Returns the exit code.
int run_all(const Context& ctx);

}  // namespace tgsim
