#pragma once
/// Finding the run to resume in the journal and what is left of it.
#include <optional>
#include <string>
#include <vector>

#include "stackctl/executor.h"
#include "stackctl/journal.h"
#include "stackctl/workspace.h"

namespace stackctl {

/// The unfinished part of an earlier run.
struct ResumePoint {
  std::string run_id;         ///< the run being resumed
  std::string command;        ///< its command (apply, destroy, rebuild, plan)
  nlohmann::json options;     ///< its recorded run options (keep_going, allow lists, ...)
  std::vector<Phase> phases;  ///< its phases minus the layer actions that ended ok or skipped
};

/// The last run that did not end ok (interrupted, failed, stopped at a gate, or never ended),
/// provided no later run ended ok over the same env. nullopt when there is nothing to resume.
/// Layer names no longer in the manifest or no longer enabled are dropped.
std::optional<ResumePoint> find_resume_point(const JournalContents& journal, const Workspace& ws);

/// The run_start fields that let a run be resumed.
nlohmann::json describe_run(const std::string& command, const std::vector<std::string>& argv,
                            const Workspace& ws, const std::vector<Phase>& phases,
                            const nlohmann::json& options);

}  // namespace stackctl
