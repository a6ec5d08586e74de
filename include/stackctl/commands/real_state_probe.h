#pragma once
/// Reading the real state of layers before a destroy, rebuild or drift (plan/real_state.h says
/// which layers and what their state decides).
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stackctl/executor/executor.h"
#include "stackctl/executor/layer_task.h"
#include "stackctl/plan/real_state.h"
#include "stackctl/runner/runner.h"

namespace stackctl {

/// The child that reads a layer's state: `terragrunt show -json` (no plan file) in its folder,
/// with the layer's child environment (task.version's dialect; from terragrunt 1.1 on without
/// dependency outputs, which a show never reads). Nothing is logged: the state holds secrets and
/// stdout is only parsed.
ChildSpec state_probe_spec(const Stack& stack, const TaskSettings& task, std::size_t layer);

/// What the end of a layer's state_probe_spec() child says of its state.
ProbedState probed_state(std::size_t layer, const ChildResult& r);

/// Reads the state of each layer (state_probe_spec), up to `parallelism` at a time, and returns
/// the results in the order of `layers`. An interrupt meanwhile is forwarded to the running reads
/// (SIGINT, SIGINT again, then SIGKILL), no new read starts, and once they have ended it throws
/// Error(Interrupted) `interrupted (SIGINT) while reading the state of L; nothing was started`,
/// naming the layers whose reads were running (`of vpc, app`).
std::vector<ProbedState> probe_real_states(ProcessRunner& runner, const Stack& stack,
                                           const TaskSettings& task,
                                           const std::vector<std::size_t>& layers,
                                           std::size_t parallelism = 1);

/// The executor's check right before a destroy of layer L starts: reads again the state of L's
/// dependents that the run skipped as holding nothing (dependents_to_recheck) and refuses L when
/// one now holds resources (recheck_refusal).
class EmptyDependentsGuard : public StartGuard {
 public:
  /// task.not_applied says what the run skipped; not_applied_why why, per layer the real state
  /// decided it (both read when a destroy starts, so facts refreshed under the lock count).
  EmptyDependentsGuard(const Stack& stack, const Graph& graph, const TaskSettings& task,
                       const std::map<std::string, std::string>& not_applied_why);
  std::vector<ChildSpec> checks(std::size_t layer, Action action) override;
  std::optional<std::string> verdict(std::size_t layer, Action action,
                                     const std::vector<ChildResult>& results) override;

 private:
  const Stack& stack_;
  const Graph& graph_;
  const TaskSettings& task_;
  const std::map<std::string, std::string>& why_;
  std::map<std::size_t, std::vector<std::size_t>>
      read_;  ///< per layer, the dependents checks() read
};

}  // namespace stackctl
