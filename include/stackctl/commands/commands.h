#pragma once
/// The commands that do not run layers. Each returns the exit code; expected failures throw Error.
#include <string>

#include "stackctl/commands/run.h"

namespace stackctl {

/// `list`: layers in order with tier, kind, protection (data/keep/pinned), enabled, last result,
/// after resolving --changed (resolve_changed); with why (`--changed --why`), instead the reasons
/// of each selected layer (why_listing).
int list_layers(const Context& ctx, const std::string& env, const SelectionOptions& sel,
                bool why = false);
/// The same on a workspace already opened for the env (open_workspace).
int list_layers(const Context& ctx, const Workspace& ws, const SelectionOptions& sel);

/// `graph`: the selected layers and their edges as dot, mermaid or json, after resolving
/// --changed (resolve_changed).
int print_graph(const Context& ctx, const std::string& env, const SelectionOptions& sel,
                const std::string& format);
/// The same on a workspace already opened for the env (open_workspace).
int print_graph(const Context& ctx, const Workspace& ws, const SelectionOptions& sel,
                const std::string& format);

/// `validate`: manifest (and env, or every env when env is empty) checks; with check_hcl also
/// compares depends_on with the terragrunt.hcl dependency blocks.
int validate_project(const Context& ctx, const std::string& env, bool check_hcl);

/// `status`: per layer the last action, result, time and changes; the last run's outcome.
int show_status(const Context& ctx, const std::string& env);

/// `output`: `terragrunt output -json` of one layer, raw on stdout; with name, the value of that
/// one output (render_output in layer_output.h; json: as one line of JSON).
int show_output(const Context& ctx, const std::string& env, const std::string& layer,
                const std::string& name = "", bool json = false);

/// `confirm`: records a manual step as done in the journal.
int confirm_step(const Context& ctx, const std::string& env, const std::string& step);

/// `unlock`: removes a lock left by a dead run on this host, or any lock with force.
int unlock_env(const Context& ctx, const std::string& env, bool force);

}  // namespace stackctl
