#pragma once
/// Safety rules decided before anything runs: what destroy may touch, and preflight variables.
#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "stackctl/env.h"
#include "stackctl/graph.h"

namespace stackctl {

/// Layers a destroy with no selection takes: every enabled layer that is neither protected nor
/// pinned, in manifest order (delete back to the data).
std::vector<std::size_t> destroyable_layers(const Stack& stack,
                                            const std::vector<PinReason>& pins);

/// Why each selected layer may not be destroyed (one message per layer, manifest order), e.g.
/// `sg-db is pinned: rds-app (data) depends on it`. A protected layer named in allow_destroy is
/// allowed; a pinned layer is allowed when every protected layer pinning it is also selected and
/// allowed. Empty when the destroy may go ahead.
std::vector<std::string> destroy_refusals(const Stack& stack, const Graph& g,
                                          const std::vector<PinReason>& pins,
                                          const std::vector<std::size_t>& selected,
                                          const std::set<std::string>& allow_destroy);

/// Variables that must be set but are not: env.yaml require_env (checked always) and each
/// selected layer's needs_env (satisfied by stackctl's environment, env.yaml env or the layer's
/// env). One message per variable naming the layers that need it.
std::vector<std::string> missing_variables(const Stack& stack,
                                           const std::vector<std::size_t>& selected,
                                           const EnvVars& process_env);

/// Values to replace by *** in every output: needs_env/require_env variables and variables whose
/// names contain PASS, SECRET, TOKEN or KEY, from the process env, env.yaml and layer envs.
std::vector<std::string> stack_secret_values(const Stack& stack, const EnvVars& process_env);

}  // namespace stackctl
