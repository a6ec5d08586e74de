#pragma once
/// Finding the run to resume in the journal and what is left of it.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "stackctl/journal/journal.h"
#include "stackctl/manifest/workspace.h"
#include "stackctl/plan/command.h"
#include "stackctl/plan/phase.h"
#include "stackctl/plan/run_plan.h"

namespace stackctl {

/// The unfinished part of an earlier run.
struct ResumePoint {
  std::string run_id;  ///< the run being resumed
  /// Its command; nullopt when the journal names one stackctl does not know.
  std::optional<Command> command;
  std::string command_word;   ///< its command as the journal wrote it
  nlohmann::json options;     ///< its recorded run options (keep_going, allow lists, ...)
  std::vector<Phase> phases;  ///< its phases minus the layer actions that ended ok or skipped
  std::vector<std::string> recorded_actions;  ///< each recorded phase's action, as written
};

/// True when a run_start's command may change infrastructure (not plan, drift or exec, nor
/// empty): only such a run can be resumed. A word that names no command may have changed
/// anything: it counts, and a resume of it is refused naming it.
bool changes_infrastructure(const std::string& command);

/// The last run that did not end ok (interrupted, failed, stopped at a gate, or never ended),
/// provided no later run ended ok over the same env. nullopt when there is nothing to resume.
/// Layer names no longer in the manifest or no longer enabled are dropped.
std::optional<ResumePoint> find_resume_point(const JournalContents& journal, const Workspace& ws);

/// Throws Error(Refused) `cannot resume run R: its journal record does not match a run stackctl
/// makes (...); nothing was started` unless the recorded command changes infrastructure and its
/// phases have that command's shape. When it returns, point.command is set.
void refuse_unresumable(const ResumePoint& point);

/// What a resume may run, re-derived from today's manifest, env and rules (docs/contract.md, Rules
/// that always hold): the journal only says where to continue. The recorded command must change
/// infrastructure and its phases must have that command's shape (apply: apply; destroy: destroy;
/// rebuild: destroy, then apply). Every layer left to destroy is checked as a fresh destroy would
/// be, with allow_destroy from the resume command only (never from the journal); layers the journal
/// shows hold nothing are skipped; a layer still depended on by an applied layer outside the phase
/// is refused. Throws Error(Refused) naming each problem, ending with `nothing was started`,
/// starting with refuse_unresumable's.
std::vector<Phase> resumed_phases(const Workspace& ws, const Preflight& pre,
                                  const ResumePoint& point,
                                  const std::set<std::string>& allow_destroy);

/// The run_start fields that let a run be resumed.
nlohmann::json describe_run(Command command, const std::vector<std::string>& argv,
                            const Workspace& ws, const std::vector<Phase>& phases,
                            const nlohmann::json& options);

}  // namespace stackctl
