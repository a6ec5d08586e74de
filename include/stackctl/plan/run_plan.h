#pragma once
/// From a run request to the phases it will run, with the safety rules applied up front.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "stackctl/journal/journal.h"
#include "stackctl/manifest/workspace.h"
#include "stackctl/plan/phase.h"
#include "stackctl/plan/policy.h"
#include "stackctl/plan/request.h"

namespace stackctl {

/// What a command knows of the env before it starts: the journal as read once, and the
/// protection in force (enabled protected layers and disabled ones still applied).
struct Preflight {
  JournalContents journal;
  Protection protection;
  std::set<std::string> not_applied;  ///< not_applied_per_journal, then the real state's word
  /// Per layer of not_applied that the real state decided (real_state.h): why it holds nothing,
  /// `its state is empty`. The others hold nothing per the journal.
  std::map<std::string, std::string> not_applied_why;
};

/// Reads the selected env's journal and derives the protection from it.
Preflight read_preflight(const Workspace& ws);

/// The phases of a plan/apply/destroy/rebuild request. Throws Error(Usage) for bad selections
/// and Error(Refused) when a destroy would touch a protected or pinned layer (listing each).
std::vector<Phase> plan_phases(const Workspace& ws, const Preflight& pre,
                               const RunRequest& request);

/// Throws Error(Refused) listing every layer of a destroying phase that the rules forbid
/// (docs/contract.md, Rules that always hold), with `nothing was started`; used for fresh and
/// resumed runs alike.
void refuse_forbidden_destroys(const Workspace& ws, const Preflight& pre,
                               const std::vector<std::size_t>& selected,
                               const std::set<std::string>& allow_destroy);

/// The destroy phase over selected: terragrunt layers the journal shows hold nothing
/// (pre.not_applied) go to not_applied, except those named in `named` (--only), which always run.
Phase destroy_phase(const Workspace& ws, const Preflight& pre,
                    const std::vector<std::size_t>& selected,
                    const std::vector<std::string>& named);

/// The preview shown before anything runs: per phase, the layers and their actions, and for
/// destroying phases what is kept and why.
std::string describe_phases(const Workspace& ws, const Preflight& pre, Command command,
                            const std::vector<Phase>& phases);

/// Warnings for the layers of the phases whose protection env.yaml lowers (`FILE:LINE: warning:
/// ...`), in manifest order.
std::vector<std::string> preview_warnings(const Workspace& ws, const std::vector<Phase>& phases);

}  // namespace stackctl
