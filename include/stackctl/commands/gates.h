#pragma once
/// Runbook gates (manual layers): a confirmation holds only while the layers a gate depends on
/// have not been destroyed or replaced since. The journal records confirmations (`confirm`),
/// withdrawals (`withdraw`) and every layer's end, so the state of each gate is derived from it.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "stackctl/commands/run.h"
#include "stackctl/executor/executor.h"
#include "stackctl/journal/journal.h"
#include "stackctl/manifest/workspace.h"

namespace stackctl {

/// Why a confirmation stopped holding: a dependency destroyed, or applied with a plan that
/// deleted or replaced resources.
struct GateReopening {
  std::string layer;  ///< the dependency
  std::string what;   ///< "destroyed", "replaced 2 resources", "deleted 1 resource"
  std::string time;
  std::string run_id;
  /// `codestar-connection destroyed at 2026-12-03T10:00:00Z (run 20261203T095900Z-1a2b)`
  std::string describe() const;
};

/// One gate of the selected env, as the journal leaves it.
struct GateState {
  std::size_t layer = 0;  ///< manifest position
  bool confirmed = false;
  std::string confirmed_by, confirmed_at;  ///< the last confirmation, even when it no longer holds
  std::string withdrawn_by, withdrawn_at;  ///< when the last confirmation was withdrawn
  std::optional<GateReopening> reopened;   ///< when a dependency re-opened the last confirmation
  /// "confirmed by alice at T", or why it is pending: "never confirmed", "withdrawn by bob at
  /// T; it was confirmed by alice at T0", "re-opened: vpc destroyed at T (run R); it was ...".
  std::string describe() const;
};

/// What an action of a gate's dependency that ran does to the gate: "" (nothing), or how it
/// re-opens it ("destroyed", "replaced N resources", "deleted N resources"). result is the
/// layer's outcome as journaled (ok, failed, interrupted, ...): a destroy or apply that started
/// and failed may have destroyed or replaced part of the layer, so it re-opens too.
std::string reopening_effect(const std::string& action, const std::string& result,
                             const ChangeCounts& changes);

/// Every enabled manual layer of the selected env, in manifest order, from the journal in the
/// order it was written: a confirmation holds until it is withdrawn or until a later layer_end
/// of one of the gate's direct dependencies re-opens it (reopening_effect).
std::vector<GateState> gate_states(const Workspace& ws, const JournalContents& j);

/// The names of the gates whose confirmation holds (the run settings' confirmed gates).
std::set<std::string> confirmed_gates(const Workspace& ws, const JournalContents& j);

/// The preview's gate lines for the gates among the phases' apply layers: each pending one with
/// why, each confirmed one with by whom, and each confirmed one that a destroy phase of this
/// run re-opens. Empty when no gate is applied.
std::string describe_gates(const Workspace& ws, const JournalContents& j,
                           const std::vector<Phase>& phases);

/// Why a gate is pending, for the end-of-run message ("re-opened: ..." or "withdrawn by ..."),
/// or "" when it was simply never confirmed.
std::string pending_reason(const Workspace& ws, const JournalContents& j, const std::string& gate);

/// During a run: when a dependency of a confirmed gate is destroyed, or applied with a plan
/// that deleted or replaced resources, the gate leaves `confirmed` (the task settings' set),
/// so the apply that reaches it later in the same run (a rebuild) stops there.
class GateReopener : public RunObserver {
 public:
  GateReopener(const Workspace& ws, std::set<std::string>& confirmed);
  void layer_finished(const LayerResult& result) override;

 private:
  const Workspace& ws_;
  std::set<std::string>& confirmed_;
};

/// The user to record: the password entry of the effective uid (as the env lock records it),
/// else $USER, else "uid N".
std::string current_user_name();

/// `confirm`: records each step (a manual layer) as done; with withdraw, withdraws each
/// step's confirmation instead. Every name is checked before anything is recorded.
int confirm_steps(const Context& ctx, const std::string& env, const std::vector<std::string>& steps,
                  bool withdraw);

/// `gates`: every gate of the env, pending or confirmed, by whom and when, what re-opened it.
int show_gates(const Context& ctx, const std::string& env);

}  // namespace stackctl
