// --changed resolved before a command runs: git asked once, the env's workspace reused.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "stackctl/commands/changed.h"
#include "stackctl/commands/run.h"
#include "stackctl/runner/interrupts.h"

namespace stackctl {

std::optional<ChangedSelection> resolve_changed(const Context& ctx, const std::string& env,
                                                SelectionOptions& sel, bool say) {
  if (!sel.use_changed) return std::nullopt;
  auto ws = open_workspace(ctx, env);
  ChangeSet changes = find_changes(ws->stack(), ws->graph(), ChangedOptions::of(sel));
  sel.changed = changes.names(ws->stack());
  if (say) std::fprintf(stderr, "%s\n", describe_change_set(ws->stack(), changes).c_str());
  return ChangedSelection{std::move(ws), std::move(changes)};
}

int execute_selected_run(const Context& ctx, const RunRequest& request) {
  RunRequest req = request;
  InterruptWatch interrupts;  // one between two git calls, or after the last, stops the command too
  auto changed = resolve_changed(ctx, req.env, req.selection, !ctx.console.quiet);
  interrupts.check("while asking git what changed");
  return changed ? execute_run(ctx, *changed->workspace, req) : execute_run(ctx, req);
}

std::string why_listing(const Stack& stack, const Graph& g, const ChangeSet& changes,
                        const SelectionOptions& sel, OutputFormat format) {
  auto selected = select_layers(stack, g, sel, Direction::Apply);
  if (format == OutputFormat::Json) return why_document(stack, changes, selected).dump(2) + "\n";
  return why_table(stack, changes, selected);
}

}  // namespace stackctl
