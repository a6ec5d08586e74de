#pragma once
/// What the real state says of the layers the journal alone would get wrong. The journal is one
/// checkout's memory: a layer applied from another checkout or a CI job is not in it, and a
/// destroy that exited 0 without destroying (a declined prompt) is journaled `ok`. Before a
/// destroy, rebuild or drift, stackctl reads the real state of those layers (`terragrunt show
/// -json` in the layer's folder, which prints the state when no plan file is given) and lets it
/// decide what is applied. What cannot be read counts as applied: unknown may exist.
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "stackctl/manifest/graph.h"
#include "stackctl/plan/run_plan.h"

namespace stackctl {

/// A layer's real state as `terragrunt show -json` (no plan file) reports it.
enum class RealState {
  Unknown,  ///< the command failed or printed no state document: the layer may hold anything
  Empty,    ///< no resources and no outputs (never applied, or destroyed)
  Holds,    ///< resources or outputs
};

/// Reads the result of `terragrunt show -json`: exit 0 and a JSON document with
/// `format_version` whose `values` has no resource (in the root module or any child module) and
/// no output is Empty; with one, Holds; anything else Unknown. Leading non-JSON lines (terragrunt's
/// own log on stdout) are skipped.
RealState read_real_state(int exit_code, const std::string& stdout_text);

/// The layers whose real state changes a decision the journal alone made about phases (the
/// phases planned from the journal), in manifest order: the terragrunt layers the phases skip as
/// not applied (a destroy or drift would leave them out), those the journal shows holding nothing
/// that depend on a layer a phase destroys (they must not still stand on it), and protected
/// terragrunt layers,
/// disabled or switched off, that the journal does not show applied (they would pin nothing);
/// and the dependencies of these the journal shows holding nothing (a unit terragrunt cannot
/// read is judged by them). Only layers with a unit folder. The real state can only make layers
/// more applied than the journal says, so phases the journal refuses stay refused, and these are
/// all the layers whose state can change what runs.
std::vector<std::size_t> layers_to_probe(const Stack& stack, const Graph& graph,
                                         const Preflight& pre, const std::vector<Phase>& phases);

/// One layer's probe: its position and what its state says; `detail` says why it is Unknown
/// (e.g. `exit 1: ...`).
struct ProbedState {
  std::size_t layer = 0;
  RealState state = RealState::Unknown;
  std::string detail;
};

/// Folds the probes into pre. Holds: the layer is applied (it pins, a destroy runs it, drift
/// plans it). Empty: it holds nothing and is skipped. Unknown may exist: it counts as applied for
/// protection, and a destroy or drift runs it, unless one of its terragrunt dependencies was
/// found holding nothing (empty, or skipped this way itself): terragrunt cannot read a
/// unit whose dependency has no outputs, so it could not destroy or plan it either, and it stays
/// skipped. The protection is derived again, and pre.not_applied_why says for each layer the
/// state decided to skip why: `its state is empty`, `its dependency vpc holds nothing`. Returns
/// one warning per Unknown layer that runs, or that pins only because it counts as applied
/// (protected, disabled):
/// `cannot read the state of app (exit 1: ...): it counts as applied`.
std::vector<std::string> apply_real_state(const Stack& stack, const Graph& graph, Preflight& pre,
                                          const std::vector<ProbedState>& probes);

/// The layers whose state is read again right before a destroy of `layer` starts: its enabled
/// terragrunt dependents, direct or not, with a unit folder, that the run skipped as holding
/// nothing (not_applied: by the journal or the real state). A destroy goes first through every
/// dependent that holds resources; these were let stand on it because they held none at the
/// preview. In manifest order; usually none.
std::vector<std::size_t> dependents_to_recheck(const Stack& stack, const Graph& graph,
                                               const std::set<std::string>& not_applied,
                                               std::size_t layer);

/// What the states read again (dependents_to_recheck) decide for the destroy of `layer`: the
/// refusal `refused: app now holds resources (its state was empty at the preview); nothing of
/// vpc was destroyed` for the first that holds resources, or nullopt. A state that cannot be
/// read counts as holding resources (`refused: the state of app cannot be read now (exit 1:
/// ...); it counts as holding resources; nothing of vpc was destroyed`), unless the run skipped
/// it because one of its dependencies holds nothing (why, per not_applied_why) or terragrunt
/// says a dependency has no outputs (`detected no outputs`: one destroyed earlier in the run,
/// whose own destroy read this dependent first; nothing can have applied it since).
std::optional<std::string> recheck_refusal(
    const Stack& stack, std::size_t layer, const std::vector<ProbedState>& probes,
    const std::map<std::string, std::string>& not_applied_why);

}  // namespace stackctl
