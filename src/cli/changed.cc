// --changed and the flags that go with it, on every command that selects layers.
#include "cli.h"

namespace stackctl::cli {

void add_changed_flags(CLI::App& cmd, SelectionOptions& sel) {
  auto* changed = cmd.add_flag("--changed", sel.use_changed,
                               "Layers whose folder, module, manifest entry or env.yaml entries "
                               "changed in git (uncommitted and untracked files included)");
  cmd.add_option("--base", sel.changed_base,
                 "With --changed: compare with REF (default: the merge base with the "
                 "default branch, else HEAD^)")
      ->type_name("REF")
      ->needs(changed);
  cmd.add_flag("--with-dependents", sel.with_dependents,
               "With --changed: add every layer that depends on a changed one")
      ->needs(changed);
}

}  // namespace stackctl::cli
