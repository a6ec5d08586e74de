#pragma once
/// Reading the real state of layers before a destroy, rebuild or drift (plan/real_state.h says
/// which layers and what their state decides).
#include <cstddef>
#include <vector>

#include "stackctl/executor/layer_task.h"
#include "stackctl/plan/real_state.h"
#include "stackctl/runner/runner.h"

namespace stackctl {

/// Runs `terragrunt show -json` (no plan file: the state) in the folder of each layer, one after
/// the other, with the layer's child environment (task.version's dialect; from terragrunt 1.1 on
/// without dependency outputs, which a show never reads), and reads each result. Nothing is
/// logged: the state holds secrets and stdout is only parsed. An interrupt meanwhile throws
/// Error(Interrupted) `interrupted (SIGINT) while reading the state of L; nothing was started`.
std::vector<ProbedState> probe_real_states(ProcessRunner& runner, const Stack& stack,
                                           const TaskSettings& task,
                                           const std::vector<std::size_t>& layers);

}  // namespace stackctl
