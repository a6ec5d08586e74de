// --changed on the command line: asks git before the command runs, and `list --changed --why`.
#include <cstdio>
#include <iostream>

#include "cli.h"
#include "stackctl/commands/changed.h"
#include "stackctl/commands/commands.h"
#include "stackctl/runner/interrupts.h"

namespace stackctl::cli {

namespace {

ChangedOptions changed_options(const CLI::App& cmd) {
  ChangedOptions o;
  const CLI::Option* base = cmd.get_option_no_throw("--base");
  if (base && base->count() > 0) o.base = base->as<std::string>();
  const CLI::Option* deps = cmd.get_option_no_throw("--with-dependents");
  o.with_dependents = deps && deps->count() > 0;
  return o;
}

}  // namespace

void add_changed_flags(CLI::App& cmd, SelectionOptions& sel) {
  auto* changed = cmd.add_flag("--changed", sel.use_changed,
                               "Layers whose folder, module, manifest entry or env.yaml entries "
                               "changed in git (uncommitted and untracked files included)");
  cmd.add_option("--base", "With --changed: compare with REF (default: the merge base with the "
                           "default branch, else HEAD^)")
      ->type_name("REF")
      ->needs(changed);
  cmd.add_flag("--with-dependents", "With --changed: add every layer that depends on a changed one")
      ->needs(changed);
  if (cmd.get_name() == "list")
    cmd.add_flag("--why", "With --changed: show why each layer was selected")->needs(changed);
}

std::optional<ChangedSelection> resolve_changed(const CLI::App& cmd, const Context& ctx,
                                                const std::string& env, SelectionOptions& sel, bool say) {
  if (!sel.use_changed) return std::nullopt;
  auto ws = open_workspace(ctx, env);
  ChangeSet changes = find_changes(ws->stack(), ws->graph(), changed_options(cmd));
  sel.changed = changes.names(ws->stack());
  if (say) std::fprintf(stderr, "%s\n", describe_change_set(ws->stack(), changes).c_str());
  return ChangedSelection{std::move(ws), std::move(changes)};
}

int run_selected(const CLI::App& cmd, const Context& ctx, const RunRequest& request) {
  RunRequest req = request;
  InterruptWatch interrupts;  // one between two git calls, or after the last, stops the command too
  auto changed = resolve_changed(cmd, ctx, req.env, req.selection, !ctx.console.quiet);
  interrupts.check("while asking git what changed");
  return changed ? execute_run(ctx, *changed->workspace, req) : execute_run(ctx, req);
}

int list_command(const CLI::App& cmd, const Context& ctx, const std::string& env,
                 const SelectionOptions& selection) {
  SelectionOptions sel = selection;
  auto changed = resolve_changed(cmd, ctx, env, sel);
  if (!changed) return list_layers(ctx, env, sel);
  const Workspace& ws = *changed->workspace;
  const CLI::Option* why = cmd.get_option_no_throw("--why");
  if (!why || why->count() == 0) return list_layers(ctx, ws, sel);
  auto selected = select_layers(ws.stack(), ws.graph(), sel, Direction::Apply);
  if (ctx.console.format == OutputFormat::Json)
    std::cout << why_document(ws.stack(), changed->changes, selected).dump(2) << std::endl;
  else
    std::cout << why_table(ws.stack(), changed->changes, selected);
  return 0;
}

int graph_command(const CLI::App& cmd, const Context& ctx, const std::string& env,
                  const SelectionOptions& selection, const std::string& format) {
  SelectionOptions sel = selection;
  auto changed = resolve_changed(cmd, ctx, env, sel);
  return changed ? print_graph(ctx, *changed->workspace, sel, format) : print_graph(ctx, env, sel, format);
}

}  // namespace stackctl::cli
