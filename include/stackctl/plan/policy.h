#pragma once
/// Safety rules decided before anything runs: what exists and what it protects, what destroy may
/// touch, protection an env lowers, and preflight variables.
#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "stackctl/journal/journal.h"
#include "stackctl/manifest/env.h"
#include "stackctl/manifest/graph.h"
#include "stackctl/util/diagnostics.h"

namespace stackctl {

/// Per manifest layer: true when the journal says the layer may hold resources. Its last apply
/// or destroy record decides: anything but a destroy that ended ok (an apply, even a failed or
/// interrupted one, a destroy that failed or never ended) means it may. Never applied: false.
std::vector<bool> applied_per_journal(const Manifest& manifest, const JournalContents& journal);

/// The layers the journal shows hold nothing: once stackctl has applied or destroyed anything in
/// the env, every layer `applied` (applied_per_journal's result for the same journal) does not
/// count. Before that the journal knows nothing (the env may have been applied by hand): empty.
std::set<std::string> not_applied_per_journal(const Manifest& manifest,
                                              const JournalContents& journal,
                                              const std::vector<bool>& applied);

/// The protection in force for one command: what exists and what it pins (docs/contract.md, Rules
/// that always hold).
struct Protection {
  std::vector<bool> applied;  ///< per layer: may hold resources (journal or real state)
  std::vector<PinReason>
      pins;  ///< pinned by an enabled protected layer or a disabled one still applied
  /// True when layer i is protected and disabled but still applied (it keeps protecting).
  bool disabled_but_applied(const Stack& stack, std::size_t i) const;
  /// True when layer i exists for protection's sake: enabled, or still applied.
  bool present(const Stack& stack, std::size_t i) const;
};

/// Pins every transitive dependency of a protected layer that is enabled or, disabled or switched
/// off, still applied. `applied` has one entry per layer (applied_per_journal, or more).
Protection protection_of(const Stack& stack, const Graph& g, std::vector<bool> applied);

/// The preview's note on why layer i is kept, or "" when nothing protects it:
/// `protected (data)`, `pinned: rds-app (data) depends on it`,
/// `pinned by rds-app (disabled, still applied)`.
std::string protection_note(const Stack& stack, const Protection& prot, std::size_t i);

/// Layers a destroy with no selection takes: every enabled layer that is neither protected nor
/// pinned, in manifest order (delete back to the data).
std::vector<std::size_t> destroyable_layers(const Stack& stack, const Protection& prot);

/// Why each selected layer may not be destroyed (one message per layer, manifest order), e.g.
/// `sg-db is pinned: rds-app (data) depends on it`. A protected layer named in allow_destroy is
/// allowed; a pinned layer is allowed when every present protected layer pinning it is also
/// selected and allowed. Empty when the destroy may go ahead.
std::vector<std::string> destroy_refusals(const Stack& stack, const Graph& g,
                                          const Protection& prot,
                                          const std::vector<std::size_t>& selected,
                                          const std::set<std::string>& allow_destroy);

/// An env.yaml `protect:` entry that gives a layer less protection than the manifest does.
struct ProtectionLowering {
  std::size_t layer = 0;
  /// A warning at the env file's line: `protect: {s3-app: none} lowers s3-app's protection from
  /// data (manifest) to none in env 'dev'`.
  Diagnostic warning;
};

/// Every lowering of the env (data -> keep or none, keep -> none), in manifest order.
std::vector<ProtectionLowering> protection_lowerings(const Stack& stack);

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
